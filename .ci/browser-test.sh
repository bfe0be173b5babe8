#!/usr/bin/env bash
# Browser test of the dashboard: builds a demo database from a hand-coded sample article, serves
# it on a loopback port, and drives headless Chromium (Debian's package) with playwright-core.
# Installs what it needs when it can (root + apt, npm); otherwise skips with a clear message.
# Screenshots (1440 and 390 px) go to $SCREENSHOT_DIR (default target/browser-test).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${SCREENSHOT_DIR:-$root/target/browser-test}
mkdir -p "$out"

skip() { echo "browser-test: SKIPPED: $*"; exit 0; }

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-test: installing chromium (apt-get)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
      || skip "could not install the chromium package"
  else
    skip "no chromium, and cannot install it (needs root and apt-get)"
  fi
fi
command -v node >/dev/null 2>&1 || skip "no node"
command -v npm >/dev/null 2>&1 || skip "no npm"
(cd .ci/browser && npm ci --no-audit --no-fund --silent) || skip "npm ci failed (registry unreachable?)"

# Binaries come from wherever cargo puts them, so a shared CARGO_TARGET_DIR is not read stale;
# release builds, as the tests use, so that CI compiles no second (debug) profile.
bin=${CARGO_TARGET_DIR:-$root/target}/release
cargo build --release -q -p sitrep
cargo build --release -q -p sitrep-server --example demo_db
work=$(mktemp -d)
log="$work/serve.log"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run_dashboard() { # DB MODE
  : >"$log"
  "$bin"/sitrep serve --db "$1" --addr 127.0.0.1:0 2>"$log" &
  server=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -1 || true)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; echo "browser-test: server did not start"; exit 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$log"; echo "browser-test: server did not report its address"; exit 1; }
  echo "browser-test: $2 dashboard at $url"
  node .ci/browser/dashboard.test.mjs "$url" "$out" "$2"
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

"$bin"/examples/demo_db "$work/demo.db"
run_dashboard "$work/demo.db" demo
seed_story="$root/../shared/fixtures/seed-2023-11-07.txt"
if [ -f "$seed_story" ]; then
  "$bin"/sitrep ingest --db "$work/seed.db" "$seed_story"
  run_dashboard "$work/seed.db" seed
else
  echo "browser-test: seed story not found beside the repo; seed dashboard check skipped"
fi
# A large synthetic database for layout checks and screenshots (DENSE_EVENTS=1000000 for the
# issue's 1 M-event views; 0, the default, skips it to keep CI short).
dense=${DENSE_EVENTS:-0}
if [ "$dense" -gt 0 ]; then
  "$bin"/examples/demo_db "$work/dense.db" "$dense"
  run_dashboard "$work/dense.db" dense
fi
echo "browser-test: screenshots in $out"
