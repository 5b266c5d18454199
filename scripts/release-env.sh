# Sourced: the release configuration of the shipped .wasm, in one place
# (scripts/build.sh, the browser tests in scripts/test.sh, scripts/dep-probe.sh).
# The pinned nightly (scripts/nightly-toolchain, installed by setup.sh)
# rebuilds std for size and turns panics into immediate aborts; no
# reference types (smaller glue).
NIGHTLY=$(cat "$(dirname "${BASH_SOURCE[0]}")/nightly-toolchain")
RELEASE_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy -Ctarget-feature=-reference-types"
BUILD_STD=(-Z build-std=std,panic_abort -Z build-std-features=optimize_for_size)
