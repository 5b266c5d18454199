#!/usr/bin/env bash
# Builds the publishable npm package into pkg/: release wasm, wasm-bindgen glue
# (--target web), wasm-opt -Oz from npm's binaryen, package.json, README, LICENSE.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release --target wasm32-unknown-unknown -p cl-checkout
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/cl_checkout.wasm
# The declaration of [Symbol.dispose] needs lib esnext.disposable in every
# consumer's tsconfig; free() stays for explicit disposal.
sed -i '/^    \[Symbol\.dispose\](): void;$/d' pkg/cl_checkout.d.ts
node_modules/.bin/wasm-opt -Oz pkg/cl_checkout_bg.wasm -o pkg/cl_checkout_bg.wasm
cp npm/package.json README.md LICENSE pkg/
rm -f pkg/.gitignore
for f in pkg/cl_checkout_bg.wasm pkg/cl_checkout.js; do
  printf 'pkg: %-26s %7d B raw, %6d B gzip\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
done
