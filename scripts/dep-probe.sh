#!/usr/bin/env bash
# Re-measures the README's dependency notes: builds tools/dep-probe (one async
# fetch export) as scripts/build.sh builds the package (pinned nightly,
# build-std, immediate-abort, optimize_wasm's passes and one-letter names, minified glue), once bare and once
# with each of serde_json, serde-wasm-bindgen and gloo-net (bare, and with its
# json feature as its documentation uses it), and prints the
# shipped gzip bytes (.wasm + glue) of each. Not part of the tests or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release-env.sh
PROBE=tools/dep-probe
OUT=target/dep-probe
gz() { gzip -9 -c "$1" | wc -c; }
printf '| probe | .wasm gzip | glue gzip | total | vs bare |\n|---|---|---|---|---|\n'
bare=0
for feature in "" serde_json serde_wasm_bindgen gloo_net gloo_net_json; do
  RUSTFLAGS="$RELEASE_RUSTFLAGS" cargo "+$NIGHTLY" build -q --release --target wasm32-unknown-unknown \
    --manifest-path "$PROBE/Cargo.toml" --features "$feature" "${BUILD_STD[@]}" --target-dir "$OUT/target"
  dir="$OUT/${feature:-bare}"
  wasm-bindgen --target web --out-dir "$dir" "$OUT/target/wasm32-unknown-unknown/release/dep_probe.wasm"
  optimize_wasm "$dir" dep_probe
  node_modules/.bin/esbuild "$dir/dep_probe.js" --minify --format=esm --log-level=warning --outfile="$dir/dep_probe.js" --allow-overwrite
  w=$(gz "$dir/dep_probe_bg.wasm"); j=$(gz "$dir/dep_probe.js"); t=$((w + j))
  [ -z "$feature" ] && bare=$t
  printf '| %s | %d | %d | %d | %+d |\n' "${feature:-bare (Response.json + Reflect)}" "$w" "$j" "$t" "$((t - bare))"
done
