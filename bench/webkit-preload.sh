#!/usr/bin/env bash
# Whether WebKit (Safari's engine) reuses the preloaded .wasm (README, "Loading it in a page"): installs
# WebKitGTK's WebDriver and Xvfb from Debian's packages when missing, builds pkg/ when missing, and runs
# bench/webkit-preload.mjs in a virtual display. Not part of the test command (a browser engine more to
# install); rerun it after changing how the package is loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get install -y -q webkit2gtk-driver xvfb >/dev/null
fi
[ -f pkg/cl_checkout_bg.wasm ] || bash scripts/build.sh
echo "webkit-preload: WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0)"
xvfb-run -a node bench/webkit-preload.mjs
