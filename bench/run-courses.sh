#!/usr/bin/env bash
# Enrolment-rush benchmark for Løft (issue 5): CLIENTS clients (default 2,000), each with its own API token,
# POST /courses/sessions/{id}/enrol at the same moment against one session of SEATS seats (default 100), over
# HTTP to the real router (crates/cli/examples/courses_bench.rs), release build, SQLite and PostgreSQL.
# The example checks the outcome (exactly SEATS confirmed, the rest waitlisted in arrival order, no errors) and
# prints p50/p95/p99. Data: `loft demo`'s generated Kongsbergregionen (~5,600 people), made fresh per run.
# PostgreSQL: a database $BENCH_PG_DB (default loft_coursebench) on $BENCH_PG (default postgres://postgres@127.0.0.1:5432),
# created and dropped by the script.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLIENTS=${BENCH_CLIENTS:-2000}
SEATS=${BENCH_SEATS:-100}
RUNS=${BENCH_RUNS:-3}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_DB=${BENCH_PG_DB:-loft_coursebench}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ulimit -n 20000 2>/dev/null || true
cd "$ROOT"
status=0
cargo build --release --quiet -p loft-cli --example courses_bench
BIN=$ROOT/target/release/examples/courses_bench
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) clients=$CLIENTS seats=$SEATS load: $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  for run in $(seq 1 "$RUNS"); do
    case $backend in
      sqlite) url="sqlite://$WORK/rush-$run.db" ;;
      postgres)
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null
        url="$PG/$PG_DB" ;;
    esac
    "$BIN" "$url" "$CLIENTS" "$SEATS" "${BENCH_VIA:-api}" 2>/dev/null || status=1
    echo "  (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
  done
done
[ "${BACKENDS#*postgres}" != "$BACKENDS" ] && psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null || true
exit $status
