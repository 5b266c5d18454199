#!/usr/bin/env bash
# Builds the publishable npm package into pkg/: release wasm, wasm-bindgen glue
# (--target web), wasm-opt -Oz from npm's binaryen, package.json, README, LICENSE.
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
NIGHTLY=$(cat scripts/nightly-toolchain)
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy -Ctarget-feature=-reference-types" \
  cargo "+$NIGHTLY" build -q --release --target wasm32-unknown-unknown -p cl-checkout \
  -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size --target-dir target/release-wasm
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/release-wasm/wasm32-unknown-unknown/release/cl_checkout.wasm
# The declaration of [Symbol.dispose] needs lib esnext.disposable in every
# consumer's tsconfig; free() stays for explicit disposal.
sed -i '/^    \[Symbol\.dispose\](): void;$/d' pkg/cl_checkout.d.ts
node_modules/.bin/wasm-opt -Oz --converge --strip-producers --strip-target-features pkg/cl_checkout_bg.wasm -o pkg/cl_checkout_bg.wasm
# The glue ships minified (exports keep their names; cl_checkout.d.ts documents them).
node_modules/.bin/esbuild pkg/cl_checkout.js --minify --format=esm --log-level=warning --outfile=pkg/cl_checkout.js --allow-overwrite
cp npm/package.json README.md LICENSE pkg/
rm -f pkg/.gitignore
for f in pkg/cl_checkout_bg.wasm pkg/cl_checkout.js; do
  printf 'pkg: %-26s %7d B raw, %6d B gzip\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
done
