#!/usr/bin/env bash
# Whether WebKit (Safari's engine) reuses the preloaded .wasm (README, "Loading it in a page"): installs
# WebKitGTK's WebDriver and Xvfb from Debian's packages when missing, builds pkg/ when missing, and runs
# bench/webkit-preload.mjs in a virtual display. Not part of the test command (a browser engine more to
# install); rerun it after changing how the package is loaded.
#
# What it installs it removes again on exit: with those packages on the machine (2026-12-04: WebKitGTK
# 2.50 and its 60 dependencies, or 211 with Recommends), Debian's Chromium under wasm-bindgen-test-runner
# hung on 10 of 14 browser-test runs, and on 1 of 9 once they were purged.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
  trap '$sudo apt-get purge -y -q webkit2gtk-driver xvfb >/dev/null && $sudo apt-get autoremove --purge -y -q >/dev/null' EXIT
  $sudo apt-get install -y -q --no-install-recommends webkit2gtk-driver xvfb >/dev/null
fi
[ -f pkg/cl_checkout_bg.wasm ] || bash scripts/build.sh
echo "webkit-preload: WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0)"
xvfb-run -a node bench/webkit-preload.mjs
