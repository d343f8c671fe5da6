#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests on SQLite and
# PostgreSQL, then browser tests (Playwright + axe-core in Debian's Chromium) against `loft demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

export LOFT_TEST_POSTGRES_URL="${LOFT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -d "$LOFT_TEST_POSTGRES_URL" 2>/dev/null; then
  echo "PostgreSQL is not answering at $LOFT_TEST_POSTGRES_URL; trying to start the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start 2>/dev/null || true
  for _ in $(seq 1 20); do pg_isready -q -d "$LOFT_TEST_POSTGRES_URL" && break; sleep 0.5; done
  pg_isready -q -d "$LOFT_TEST_POSTGRES_URL" || { echo "PostgreSQL unavailable: the suite runs against both databases" >&2; exit 1; }
fi
# Schemas left behind by an interrupted earlier run.
psql -q "$LOFT_TEST_POSTGRES_URL" -Atc "SELECT 'DROP SCHEMA ' || nspname || ' CASCADE;' FROM pg_namespace WHERE nspname LIKE 'loft_t_%'" | PGOPTIONS="--client-min-messages=warning" psql -q "$LOFT_TEST_POSTGRES_URL" >/dev/null

[ -d node_modules/@digdir/designsystemet-css ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
# The real SMTP server the outbox tests deliver to.
python3 -c "import aiosmtpd" 2>/dev/null || pip install --quiet aiosmtpd
# The third-party iCalendar parser the course calendar tests check the .ics files with.
python3 -c "import icalendar" 2>/dev/null || pip install --quiet icalendar

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace

scripts/e2e.sh
