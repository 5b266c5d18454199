# Sourced: start_sandbox builds and starts cl-sandbox on a free loopback port,
# exports CL_SANDBOX_URL, and stops it when the calling shell exits.

# announced_url LOG PREFIX: waits up to 10 s for a line "PREFIX<url>" in LOG; prints the URL.
announced_url() {
  local url
  for _ in $(seq 100); do
    url=$(sed -n "s/^$2//p" "$1")
    [ -n "$url" ] && { echo "$url"; return 0; }
    sleep 0.1
  done
  return 1
}

start_sandbox() {
  cargo build -q -p cl-sandbox
  CL_SANDBOX_LOG=$(mktemp)
  target/debug/cl-sandbox --port "${CL_SANDBOX_PORT:-0}" >"$CL_SANDBOX_LOG" 2>&1 &
  CL_SANDBOX_PID=$!
  trap 'kill $CL_SANDBOX_PID 2>/dev/null || true; rm -f "$CL_SANDBOX_LOG"' EXIT
  CL_SANDBOX_URL=$(announced_url "$CL_SANDBOX_LOG" "cl-sandbox listening on ") ||
    { cat "$CL_SANDBOX_LOG"; echo "cl-sandbox did not start" >&2; return 1; }
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
  CL_SANDBOX_CONTROL_URL=$(announced_url "$log" "control proxy on ") || { echo "control proxy did not start" >&2; return 1; }
  rm -f "$log"
  export CL_SANDBOX_CONTROL_URL
}
