# Sourced: the release configuration of the shipped .wasm, in one place
# (scripts/build.sh, the browser tests in scripts/test.sh, scripts/dep-probe.sh).
# The pinned nightly (scripts/nightly-toolchain, installed by setup.sh)
# rebuilds std for size and turns panics into immediate aborts (so no
# caller locations either: -Zlocation-detail=none, -52 B gzip); no
# reference types (smaller glue). Source paths are remapped so that no
# path of the building machine (home, registry, toolchain, checkout) is
# compiled in: the same commit builds the same bytes anywhere.
NIGHTLY=$(cat "$(dirname "${BASH_SOURCE[0]}")/nightly-toolchain")
_sysroot=$(rustup run "$NIGHTLY" rustc --print sysroot 2>/dev/null || echo /nonexistent)
_checkout=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RELEASE_RUSTFLAGS="-Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy -Ctarget-feature=-reference-types"
RELEASE_RUSTFLAGS+=" --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/= --remap-path-prefix=$_sysroot/lib/rustlib/src/rust/="
RELEASE_RUSTFLAGS+=" --remap-path-prefix=$_checkout/="
BUILD_STD=(-Z build-std=std,panic_abort -Z build-std-features=optimize_for_size)
unset _sysroot _checkout
# binaryen's passes for the shipped .wasm. Beyond -Oz --converge: functions
# with one caller are inlined only up to 15 instructions (binaryen's default
# inlines them at any size, and the copies compress worse than calls); memory
# starts zeroed (the module owns its memory); the lowest 1 KB is never
# addressed (Rust's stack and data are above it); the control flow is
# flattened and relooped, then optimized again. -1,021 B gzip on the shipped
# .wasm when added (the README's recipe row re-measures it on the current
# code; -O3, -Os and --gufa were worse).
WASM_OPT=(-Oz --converge --one-caller-inline-max-function-size=15 --low-memory-unused --zero-filled-memory --flatten --rereloop -Oz --converge)

# wasm-bindgen's output in $1 (the module's name: $2, default cl_checkout) as it ships: binaryen's passes, one-letter
# import and export names in the .wasm and the glue (hashed names do not
# compress), the functions in the order gzip compresses best
# (scripts/order-functions.mjs; ORDER_FUNCTIONS=0 keeps rustc's, for the
# bench's recipe rows), the passes once more after renaming (binaryen then
# folds a little better: -150 B; they keep the order), and no producers or
# features sections.
optimize_wasm() {
  local name=${2:-cl_checkout}
  node_modules/.bin/wasm-opt "${WASM_OPT[@]}" "$1/${name}_bg.wasm" -o "$1/${name}_bg.wasm"
  node scripts/short-names.mjs "$1" --name="$name"
  [ "${ORDER_FUNCTIONS:-1}" = 0 ] || node scripts/order-functions.mjs "$1/${name}_bg.wasm"
  node_modules/.bin/wasm-opt "${WASM_OPT[@]}" --strip-producers --strip-target-features "$1/${name}_bg.wasm" -o "$1/${name}_bg.wasm"
}
