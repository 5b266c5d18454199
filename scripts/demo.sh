#!/usr/bin/env bash
# Builds the package, starts cl-sandbox and the demo page, prints the URL.
# Ctrl-C stops both. DEMO_PORT / CL_SANDBOX_PORT pick the ports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
export CL_SANDBOX_PORT=${CL_SANDBOX_PORT:-8765}
source scripts/sandbox-env.sh
start_sandbox
node www/serve.mjs "${DEMO_PORT:-8080}" "$CL_SANDBOX_URL"
