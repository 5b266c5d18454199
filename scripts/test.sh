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
RUSTFLAGS="$RELEASE_RUSTFLAGS -Zpanic_abort_tests" CARGO_PROFILE_DEV_OPT_LEVEL=z \
  cargo "+$NIGHTLY" test -p cl-checkout --target wasm32-unknown-unknown --test browser "${BUILD_STD[@]}" --target-dir target/release-wasm-test

step "package build"
bash scripts/build.sh

step "end-to-end tests (built package, Playwright + Chromium)"
node --test tests/e2e/

step "schema conformance of every API answer the sandbox gave in this run"
node scripts/conformance.mjs "$CL_SANDBOX_URL"
