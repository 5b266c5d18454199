#!/usr/bin/env bash
# Every test, on a fresh machine too: installs what is missing, then runs
# format and lint checks, native tests, browser tests (headless Chromium via
# wasm-bindgen-test) and the end-to-end tests of the built package, all
# against a cl-sandbox started on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

step "format and lint"
cargo fmt --all -- --check
cargo clippy -q --workspace --all-targets -- -D warnings
cargo clippy -q -p cl-checkout --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests (core + sandbox)"
cargo test --workspace

step "fuzzing the core (bounded; scripts/fuzz.sh 600 for a long run)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-10}"

step "starting cl-sandbox"
source scripts/sandbox-env.sh
start_sandbox
start_control_proxy
echo "sandbox at $CL_SANDBOX_URL (control proxy for the browser page at $CL_SANDBOX_CONTROL_URL)"

step "browser tests (headless Chromium), in the release configuration"
# The shipped .wasm's toolchain and flags (scripts/release-env.sh: pinned
# nightly, std rebuilt for size, panics as immediate aborts, lol_alloc) at
# opt-level z; a failing assertion is then a trap the runner reports as a failure.
source scripts/release-env.sh
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=180
browser_tests=(env RUSTFLAGS="$RELEASE_RUSTFLAGS -Zpanic_abort_tests" CARGO_PROFILE_DEV_OPT_LEVEL=z
  cargo "+$NIGHTLY" test -p cl-checkout --target wasm32-unknown-unknown --test browser "${BUILD_STD[@]}" --target-dir target/release-wasm-test)
"${browser_tests[@]}" --no-run
# Debian's Chromium 156 under wasm-bindgen-test-runner 0.2.130 now and then never starts the test page (about one
# run in six in one session, three of six in another: no request reaches the sandbox, and the runner waits on
# the page load for minutes). A run that has not finished in 90 s (a whole run takes about 15) is stopped and started
# again, up to five times (two hangs in a row were seen); a run that ends, failed tests included, is never repeated.
# On 2026-12-04 the hangs came with WebKitGTK's Debian packages installed (10 of 14 runs) and were rare once they were
# purged (1 of 9): bench/webkit-preload.sh removes them after use.
for attempt in 1 2 3 4 5; do
  rc=0
  timeout --kill-after=10 90 "${browser_tests[@]}" || rc=$?
  [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] && break
  echo "browser tests: the runner did not finish in 90 s (attempt $attempt of 5); stopping its Chromium and starting again"
  pkill -f '^/usr/bin/chromedriver --port=' 2>/dev/null || true
  pkill -f '^/usr/lib/chromium/chromium .*--remote-debugging-port=0' 2>/dev/null || true
done
[ "$rc" -eq 0 ] || exit "$rc"

step "package build"
bash scripts/build.sh

step "end-to-end tests (built package, Playwright + Chromium)"
node --test tests/e2e/

step "schema conformance of every API answer the sandbox gave in this run"
node scripts/conformance.mjs "$CL_SANDBOX_URL"
