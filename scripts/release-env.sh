# Sourced: the release configuration of the shipped .wasm, in one place
# (scripts/build.sh, the browser tests in scripts/test.sh, scripts/dep-probe.sh).
# The pinned nightly (scripts/nightly-toolchain, installed by setup.sh)
# rebuilds std for size and turns panics into immediate aborts; no
# reference types (smaller glue). Source paths are remapped so that no
# path of the building machine (home, registry, toolchain, checkout) is
# compiled in: the same commit builds the same bytes anywhere.
NIGHTLY=$(cat "$(dirname "${BASH_SOURCE[0]}")/nightly-toolchain")
_sysroot=$(rustup run "$NIGHTLY" rustc --print sysroot 2>/dev/null || echo /nonexistent)
_checkout=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RELEASE_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy -Ctarget-feature=-reference-types"
RELEASE_RUSTFLAGS+=" --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/= --remap-path-prefix=$_sysroot/lib/rustlib/src/rust/="
RELEASE_RUSTFLAGS+=" --remap-path-prefix=$_checkout/="
BUILD_STD=(-Z build-std=std,panic_abort -Z build-std-features=optimize_for_size)
unset _sysroot _checkout
