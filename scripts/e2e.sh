#!/usr/bin/env bash
# Browser tests: starts `loft demo` on a throwaway SQLite file and runs the Playwright
# tests in e2e/ (Node's test runner) against it, with Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p loft-cli --bin loft
tmp=$(mktemp -d)
port="${LOFT_E2E_PORT:-18080}"
LOFT_LISTEN="127.0.0.1:$port" ./target/debug/loft demo --database-url "sqlite://$tmp/e2e.db" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "server did not start" >&2; cat "$tmp/server.log"; exit 1; }
LOFT_BASE_URL="http://127.0.0.1:$port" CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}" \
  node --test --test-concurrency=1 "${@:-e2e/}"
