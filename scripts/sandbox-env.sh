# Sourced: start_sandbox builds and starts cl-sandbox on a free loopback port,
# exports CL_SANDBOX_URL, and stops it when the calling shell exits.
start_sandbox() {
  cargo build -q -p cl-sandbox
  CL_SANDBOX_LOG=$(mktemp)
  local log=$CL_SANDBOX_LOG
  target/debug/cl-sandbox --port "${CL_SANDBOX_PORT:-0}" >"$log" 2>&1 &
  CL_SANDBOX_PID=$!
  trap 'kill $CL_SANDBOX_PID 2>/dev/null || true; rm -f "$CL_SANDBOX_LOG"' EXIT
  for _ in $(seq 100); do
    CL_SANDBOX_URL=$(sed -n 's/^cl-sandbox listening on //p' "$log")
    [ -n "$CL_SANDBOX_URL" ] && break
    sleep 0.1
  done
  [ -n "$CL_SANDBOX_URL" ] || { cat "$log"; echo "cl-sandbox did not start" >&2; return 1; }
  export CL_SANDBOX_URL CL_SANDBOX_PID
}

# start_control_proxy: for pages that drive the sandbox in tests (the
# wasm-bindgen-test page); exports CL_SANDBOX_CONTROL_URL.
start_control_proxy() {
  local log
  log=$(mktemp)
  node scripts/control-proxy.mjs "$CL_SANDBOX_URL" >"$log" 2>&1 &
  CL_CONTROL_PROXY_PID=$!
  trap 'kill $CL_SANDBOX_PID $CL_CONTROL_PROXY_PID 2>/dev/null || true; rm -f "$CL_SANDBOX_LOG"' EXIT
  for _ in $(seq 100); do
    CL_SANDBOX_CONTROL_URL=$(sed -n 's/^control proxy on //p' "$log")
    [ -n "$CL_SANDBOX_CONTROL_URL" ] && break
    sleep 0.1
  done
  rm -f "$log"
  [ -n "$CL_SANDBOX_CONTROL_URL" ] || { echo "control proxy did not start" >&2; return 1; }
  export CL_SANDBOX_CONTROL_URL
}
