#!/usr/bin/env bash
# The release recipe step by step (npm run bench shows a row per step): builds
# the Stripe entry point once per step into bench/dist/recipe/<n>/ (a .wasm and
# its glue), each step adding one thing to the one before. The last step is
# the shipped package, pkg/ (scripts/build.sh must have run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release-env.sh
OUT=bench/dist/recipe
rm -rf "$OUT" && mkdir -p "$OUT"
NO_REFTYPES="-Ctarget-feature=-reference-types"
NIGHTLY_FLAGS=${RELEASE_RUSTFLAGS/ $NO_REFTYPES/}

# $1 step dir, $2 toolchain, $3 RUSTFLAGS, $4 features, $5 target dir, $6 wasm-opt flags, rest: extra cargo args
step() {
  local dir="$OUT/$1" toolchain=$2 flags=$3 features=$4 target=$5 opt=$6
  shift 6
  RUSTFLAGS="$flags" cargo "+$toolchain" build -q --release --target wasm32-unknown-unknown -p cl-checkout \
    --features "$features" --target-dir "$target" "$@"
  wasm-bindgen --target web --out-dir "$dir" "$target/wasm32-unknown-unknown/release/cl_checkout.wasm"
  # shellcheck disable=SC2086
  node_modules/.bin/wasm-opt $opt "$dir/cl_checkout_bg.wasm" -o "$dir/cl_checkout_bg.wasm"
}
CONVERGE="-Oz --converge --strip-producers --strip-target-features"
step 1 stable "" default-allocator target/recipe-stable -Oz
step 2 "$NIGHTLY" "$NIGHTLY_FLAGS" default-allocator target/recipe-nightly -Oz "${BUILD_STD[@]}"
step 3 "$NIGHTLY" "$NIGHTLY_FLAGS" "" target/recipe-nightly -Oz "${BUILD_STD[@]}"
step 4 "$NIGHTLY" "$NIGHTLY_FLAGS" "" target/recipe-nightly "$CONVERGE" "${BUILD_STD[@]}"
step 5 "$NIGHTLY" "$RELEASE_RUSTFLAGS" "" target/release-wasm "$CONVERGE" "${BUILD_STD[@]}"
# Step 5 stripped the target features section: name the features rustc enables.
FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-multivalue)
cp -r "$OUT/5" "$OUT/6" && node scripts/short-names.mjs "$OUT/6" "${FEATURES[@]}"
node_modules/.bin/wasm-opt "${FEATURES[@]}" -Oz --converge "$OUT/6/cl_checkout_bg.wasm" -o "$OUT/6/cl_checkout_bg.wasm"
# Step 7: the shipped binaryen passes (WASM_OPT, release-env.sh) in place of -Oz --converge, on step 5's build,
# with rustc's order of functions; step 8 orders them for gzip (scripts/order-functions.mjs), as shipped.
wasm-bindgen --target web --out-dir "$OUT/7" target/release-wasm/wasm32-unknown-unknown/release/cl_checkout.wasm
cp -r "$OUT/7" "$OUT/8"
ORDER_FUNCTIONS=0 optimize_wasm "$OUT/7"
optimize_wasm "$OUT/8"
mkdir -p "$OUT/9" && cp pkg/cl_checkout_bg.wasm pkg/cl_checkout.js "$OUT/9/"
