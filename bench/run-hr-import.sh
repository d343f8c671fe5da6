#!/usr/bin/env bash
# HR import benchmarks for Løft (issue 3): `loft import employees` on the national data set, SQLite and
# PostgreSQL, release build, timed and with peak RSS from /usr/bin/time -v. See bench/README.md.
#
# Scenarios, per backend, each on a fresh copy of the generated national database:
#   6k-unchanged  preview (--dry-run) of a ~6,000-row export of the municipality closest to 6,000 employees
#   6k-changed    preview (--dry-run) of the same export after a monthly change (hr_files.py change)
#   550k-first    preview + apply of a 550,000-row file into the largest municipality (its ~40,000 people
#                 exported, the rest new): the worst single transaction
#   550k-again    the same file again (unchanged re-import: preview + apply of nothing)
#   550k-changed  a monthly change of that file: ~55,000 changed, 5,500 moved, 5,500 leaving, 5,500 new
#   550k-undo     `loft import undo` of 550k-changed
#
# Everything it writes lives in $BENCH_WORK (default /tmp/loft-hrbench) and in PostgreSQL databases
# $BENCH_PG_DB and ${BENCH_PG_DB}_base (default loft_hrbench), dropped at the end unless BENCH_KEEP_PG=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=${BENCH_WORK:-/tmp/loft-hrbench}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
SCENARIOS=${BENCH_SCENARIOS:-"6k-unchanged 6k-changed 550k-first 550k-again 550k-changed 550k-undo"}
ROWS=${BENCH_ROWS:-550000}
SMALL_ROWS=${BENCH_SMALL_ROWS:-6000}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_USER=${BENCH_PG_USER:-postgres}
PG_DB=${BENCH_PG_DB:-loft_hrbench}
KEEP_PG=${BENCH_KEEP_PG:-0}
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
GENERATE_ARGS=${BENCH_GENERATE_ARGS:-}  # e.g. "--municipalities 20 --population 200000" for a quick trial
LOFT=${BENCH_LOFT:-${CARGO_TARGET_DIR:-$ROOT/target}/release/loft}
[[ -n ${BENCH_LOFT:-} ]] && SKIP_BUILD=1
PG_URL_BASE="postgres://$PG_USER@$PG_HOST:5432"

mkdir -p "$WORK"
RESULTS=$WORK/results.txt
: >"$RESULTS"

log() { printf '[hrbench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
pg() { psql -h "$PG_HOST" -U "$PG_USER" -d "${2:-postgres}" -qAtc "$1"; }

cleanup() {
  set +e
  if [[ $KEEP_PG != 1 && " $BACKENDS " == *" postgres "* ]]; then
    log "dropping PostgreSQL databases $PG_DB and ${PG_DB}_base"
    pg "DROP DATABASE IF EXISTS $PG_DB" >/dev/null
    pg "DROP DATABASE IF EXISTS ${PG_DB}_base" >/dev/null
    rm -f "$WORK/postgres.generated"
  fi
}
trap cleanup EXIT

if [[ $SKIP_BUILD != 1 ]]; then
  log "cargo build --release -p loft-cli"
  (cd "$ROOT" && cargo build --release -p loft-cli)
fi
[[ -x $LOFT ]] || { echo "$LOFT not found" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 1; }

base_url() { [[ $1 == sqlite ]] && echo "sqlite://$WORK/base.db" || echo "$PG_URL_BASE/${PG_DB}_base"; }
work_url() { [[ $1 == sqlite ]] && echo "sqlite://$WORK/work.db" || echo "$PG_URL_BASE/$PG_DB"; }
config() { # backend url -> config file
  local file=$WORK/$1-$(basename "$2").toml
  printf 'database_url = "%s"\n' "$2" >"$file"
  echo "$file"
}

# The national data set once per backend (a marker file lets later runs reuse it).
generate() { # backend
  local backend=$1 marker=$WORK/$1.generated
  if [[ -f $marker ]]; then
    log "$backend: national data set already generated ($(cat "$marker"))"
    return
  fi
  if [[ $backend == sqlite ]]; then
    rm -f "$WORK"/base.db*
  else
    pg "DROP DATABASE IF EXISTS ${PG_DB}_base" >/dev/null
    pg "CREATE DATABASE ${PG_DB}_base" >/dev/null
  fi
  log "$backend: generating the national data set (load $(load))"
  # shellcheck disable=SC2086 # GENERATE_ARGS is a list of arguments
  "$LOFT" --config "$(config "$backend" "$(base_url "$backend")")" generate $GENERATE_ARGS | tee "$WORK/generate-$backend.log"
  if [[ $backend == postgres ]]; then
    # This server runs with autovacuum off: give the copies the statistics a normal server would have.
    pg "ANALYZE" "${PG_DB}_base" >/dev/null
  else
    sqlite3 "$WORK/base.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  fi
  echo "generated $(date -u +%FT%TZ)" >"$marker"
}

fresh_copy() { # backend
  if [[ $1 == sqlite ]]; then
    rm -f "$WORK"/work.db*
    cp "$WORK/base.db" "$WORK/work.db"
  else
    pg "DROP DATABASE IF EXISTS $PG_DB" >/dev/null
    pg "CREATE DATABASE $PG_DB TEMPLATE ${PG_DB}_base" >/dev/null
  fi
}

# Runs `loft …` under /usr/bin/time -v and records wall time, peak RSS and the CLI's own phase times.
measure() { # backend label cmd...
  local backend=$1 label=$2
  shift 2
  local out=$WORK/$backend-$label
  local before
  before=$(load)
  log "$backend $label: $*"
  set +e
  /usr/bin/time -v -o "$out.time" "$LOFT" --config "$(config "$backend" "$(work_url "$backend")")" "$@" \
    >"$out.out" 2>"$out.err"
  local status=$?
  set -e
  local wall rss preview apply
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out.time")
  preview=$(sed -n 's/.*Forhåndsvisning klar etter \([0-9.]*\) s.*/\1/p' "$out.err")
  apply=$(sed -n 's/^Ferdig etter \([0-9.]*\) s.*/\1/p' "$out.err")
  local line
  line=$(printf 'RESULT backend=%s scenario=%s status=%s wall_s=%s preview_s=%s apply_s=%s peak_rss_mb=%s load_before="%s" load_after="%s"' \
    "$backend" "$label" "$status" "$wall" "${preview:--}" "${apply:--}" "$rss" "$before" "$(load)")
  echo "$line" | tee -a "$RESULTS"
  awk '/^Forhåndsvisning:/ { n = 9; next } n-- > 0' "$out.out" | tr -s ' ' | paste -sd, - | sed 's/^/  plan:/' | tee -a "$RESULTS" || true
}

for backend in $BACKENDS; do
  generate "$backend"
  fresh_copy "$backend"
  url=$(work_url "$backend")
  big=$(python3 "$BENCH/hr_files.py" pick "$url" 1000000)
  small=$(python3 "$BENCH/hr_files.py" pick "$url" "$SMALL_ROWS")
  python3 "$BENCH/hr_files.py" export "$url" "$small" "$WORK/small.csv"
  python3 "$BENCH/hr_files.py" change "$WORK/small.csv" "$WORK/small-changed.csv"
  python3 "$BENCH/hr_files.py" export "$url" "$big" "$WORK/big-export.csv"
  python3 "$BENCH/hr_files.py" grow "$WORK/big-export.csv" "$ROWS" "$WORK/big.csv"
  python3 "$BENCH/hr_files.py" change "$WORK/big.csv" "$WORK/big-changed.csv"
  # Warm-up, as a running server would be: a fresh PostgreSQL database builds its catalog caches on first use.
  "$LOFT" --config "$(config "$backend" "$url")" import list --municipality "$small" >/dev/null
  for scenario in $SCENARIOS; do
    case $scenario in
      6k-unchanged) measure "$backend" "$scenario" import employees "$WORK/small.csv" --municipality "$small" --dry-run ;;
      6k-changed) measure "$backend" "$scenario" import employees "$WORK/small-changed.csv" --municipality "$small" --dry-run ;;
      550k-first) measure "$backend" "$scenario" import employees "$WORK/big.csv" --municipality "$big" ;;
      550k-again) measure "$backend" "$scenario" import employees "$WORK/big.csv" --municipality "$big" ;;
      550k-changed) measure "$backend" "$scenario" import employees "$WORK/big-changed.csv" --municipality "$big" ;;
      550k-undo)
        id=$(sed -n 's/^Importert (nr\. \([0-9]*\)).*/\1/p' "$WORK/$backend-550k-changed.out")
        measure "$backend" "$scenario" import undo "$id"
        ;;
      *) echo "unknown scenario $scenario" >&2; exit 1 ;;
    esac
  done
done

{
  echo "SUMMARY $(date -u +%FT%TZ) commit=$(git -C "$ROOT" rev-parse --short HEAD) nproc=$(nproc)"
  cat "$RESULTS"
} | tee "$WORK/summary.txt"
