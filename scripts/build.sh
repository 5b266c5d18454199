#!/usr/bin/env bash
# Builds the publishable npm package into pkg/: release wasm, wasm-bindgen glue
# (--target web), wasm-opt from npm's binaryen (optimize_wasm in release-env.sh),
# package.json, README, LICENSE.
#
# The release .wasm is built with the nightly pinned in scripts/nightly-toolchain
# (scripts/setup.sh installs it): std rebuilt for size, and panics as an
# immediate abort, which drops Rust's panic and formatting machinery (~11 KB
# gzip), with -reference-types and lol_alloc (src/lib.rs): the README's
# table measures each step. A panic is then a bare `unreachable` trap, so the code must be
# panic-free: the core's clippy lints deny unwrap/expect/indexing/panic.
# Stable Rust builds and tests everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release-env.sh
OUT=target/release-wasm/wasm32-unknown-unknown/release

# One release .wasm per entry point: pkg/ (Stripe, wallet, every payment
# source) and pkg/gateways/ (the same plus the other gateways' handoffs), so
# a Stripe page downloads no other gateway's code.
release_wasm() { # $1: cargo features ("" for none), $2: output directory
  RUSTFLAGS="$RELEASE_RUSTFLAGS" cargo "+$NIGHTLY" build -q --release --target wasm32-unknown-unknown -p cl-checkout \
    --features "$1" "${BUILD_STD[@]}" --target-dir target/release-wasm
  wasm-bindgen --target web --out-dir "$2" "$OUT/cl_checkout.wasm"
  optimize_wasm "$2"
  node scripts/trim-glue.mjs "$2/cl_checkout.js"
  # The raw exports' declarations describe names that no longer exist; the API is cl_checkout.d.ts.
  rm -f "$2/cl_checkout_bg.wasm.d.ts"
  # The glue ships minified (exports keep their names; cl_checkout.d.ts documents them), with
  # Checkout's methods (src/browser/methods.js, the entry point) and the executor's few lines of
  # JavaScript (src/browser/run.rs) bundled in: one file, no extra request.
  cp src/browser/methods.js "$2/entry.js"
  # errors.js is imported by the .wasm's glue too: the same file, so bundled once.
  sed -i "s#\"./errors.js\"#\"./$(cd "$2" && echo snippets/*/src/browser/errors.js)\"#" "$2/entry.js"
  if [ -n "$1" ]; then
    # The gateways entry point's one more function of no Checkout, called as stripeOptions is (methods.js).
    echo 'export const gatewayHandoff = unbound(16);' >>"$2/entry.js"
  fi
  node_modules/.bin/esbuild "$2/entry.js" --bundle --minify --format=esm --log-level=warning \
    --define:GATEWAYS="$([ -n "$1" ] && echo true || echo false)" --outfile="$2/cl_checkout.js" --allow-overwrite
  rm -rf "$2/.gitignore" "$2/package.json" "$2/snippets" "$2/entry.js"
  for f in "$2/cl_checkout_bg.wasm" "$2/cl_checkout.js"; do
    printf '%-32s %7d B raw, %6d B gzip\n' "$f" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
}

rm -rf pkg
release_wasm "" pkg
release_wasm gateways pkg/gateways
cp npm/package.json README.md LICENSE pkg/
