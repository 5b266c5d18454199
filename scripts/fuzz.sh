#!/usr/bin/env bash
# Fuzzes the pure core with libFuzzer: `decode` (any server answer through the
# parser and every decoder) and `requests` (any caller input through the
# request builders). SECONDS_EACH per target (default 10; use 600+ for a long
# run), twice: with debug assertions and overflow checks (cargo-fuzz's default:
# stricter than what ships), and in the release configuration (-O: no debug
# assertions, arithmetic wraps as in the shipped .wasm, so any panic found
# there is one the release build would trap on). Needs cargo-fuzz (scripts/setup.sh installs it); stable Rust runs it with RUSTC_BOOTSTRAP=1 and no
# sanitizer. A finding fails the run and is kept in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_EACH=${1:-10}
for config in checked release; do
  flags=()
  [ "$config" = release ] && flags=(-O --target-dir target/release-config)
  for target in decode requests; do
    log=$(mktemp)
    if ! RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir . "${flags[@]}" "$target" -s none -- -max_total_time="$SECONDS_EACH" >"$log" 2>&1; then
      tail -40 "$log"
      echo "fuzz: $target ($config) found a failing input (see fuzz/artifacts/$target)" >&2
      exit 1
    fi
    echo "fuzz $target ($config): $(grep -E '^Done [0-9]+ runs' "$log")"
  done
done
