#!/usr/bin/env bash
# Installs what a fresh machine lacks; quick when everything is there.
# Chromium + chromedriver (Debian), the wasm32 target, wasm-bindgen-cli at the
# exact version in Cargo.lock, cargo-fuzz, and the npm packages of package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v brotli >/dev/null; then
  echo "setup: installing chromium, chromium-driver, brotli (Debian)"
  apt-get update -q
  # Never Debian's binaryen: its wasm-opt 108 breaks wasm-bindgen output (npm's binaryen is used instead).
  apt-get install -y -q --no-install-recommends chromium chromium-driver brotli
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The pinned nightly of the release .wasm (scripts/build.sh), with std's source to rebuild it.
NIGHTLY=$(cat scripts/nightly-toolchain)
if ! rustup run "$NIGHTLY" rustc --print sysroot >/dev/null 2>&1 ||
  ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' ||
  ! rustup target list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: installing $NIGHTLY (rust-src, wasm32) for the release build"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

WB=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WB"; then
  echo "setup: building wasm-bindgen-cli $WB (about 15 minutes, once per machine)"
  # No --locked: the registry here lacks a version that its lock file names.
  cargo install wasm-bindgen-cli --version "=$WB"
fi

# libFuzzer driver for scripts/fuzz.sh (no --locked, as above).
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
