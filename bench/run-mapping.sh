#!/usr/bin/env bash
# Competence-mapping benchmarks for Løft (issue 4): submitting a completed questionnaire (28 competences) and
# the report, SQLite and PostgreSQL, release build. See bench/README.md and BENCHMARKS.md.
#
# Data sets:
#   demo      `loft demo`'s Kongsbergregionen (7 municipalities, ~5,600 people, rounds 2014/2016 answered,
#             2026 open). Submissions go into fresh open rounds made by the mapping_bench example (every
#             person invited, tokens collected); the region report is the answered 2016 round.
#   national  the national data set (`loft generate`, 357 municipalities, 557,205 people) taken from
#             $BENCH_NATIONAL_DB (a SQLite file made by run-hr-import.sh / `loft generate`), with one round of
#             28 questions answered by every current person, filled in bulk SQL (15.6 million answers).
#
# Scenarios, per backend:
#   submit-store   the store calls the web handler makes (invitation_by_token, round, submit_answers), from the
#                  mapping_bench example, BENCH_STORE_CONC at a time, one token each
#   submit-http    POST /answer/{token} with wrk (bench/submit.lua), BENCH_HTTP_CONNS connections, one token
#                  each request, until the tokens are used up; then `release`: the round with the most parked
#                  answers is closed (SQL) and its first report request releases it and computes the report
#   report-*-warm  GET /mapping/{id}/report as `region` with wrk, nothing changes: the cached report
#   report-*-computed  the first computation's time, from the server log
#
# Everything it writes lives in $BENCH_WORK (default /tmp/loft-mapbench) and in PostgreSQL databases
# ${BENCH_PG_DB}* (default loft_mapbench), dropped at the end unless BENCH_KEEP_PG=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=${BENCH_WORK:-/tmp/loft-mapbench}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
SCENARIOS=${BENCH_SCENARIOS:-"submit-store submit-http report-region report-national"}
ROUNDS=${BENCH_ROUNDS:-3}              # open rounds (× ~5,600 invitations) per submit scenario
HTTP_DURATION=${BENCH_HTTP_DURATION:-10s} # wrk -d for submit-http: keep it short enough not to use up the tokens
STORE_CONC=${BENCH_STORE_CONC:-16}
HTTP_CONNS=${BENCH_HTTP_CONNS:-16}
REPORT_CONNS=${BENCH_REPORT_CONNS:-4}
DURATION=${BENCH_DURATION:-15s}
MAX_TIME=${BENCH_MAX_TIME:-120}           # curl --max-time for a cold report (the national one may take minutes)
NATIONAL_DB=${BENCH_NATIONAL_DB:-/tmp/loft-hrbench/base.db}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_USER=${BENCH_PG_USER:-postgres}
PG_DB=${BENCH_PG_DB:-loft_mapbench}
KEEP_PG=${BENCH_KEEP_PG:-0}
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
PORT=${BENCH_PORT:-8098}
BASE=http://127.0.0.1:$PORT
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}/release
LOFT=$TARGET/loft
HELPER=$TARGET/examples/mapping_bench
PG_URL_BASE="postgres://$PG_USER@$PG_HOST:5432"

mkdir -p "$WORK"
RESULTS=$WORK/results.txt
: >"$RESULTS"
SERVER_PID=

log() { printf '[mapbench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
pg() { psql -h "$PG_HOST" -U "$PG_USER" -d "${2:-postgres}" -qAtc "$1"; }
record() { echo "$* load=\"$(load)\"" | tee -a "$RESULTS"; }

cleanup() {
  set +e
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  if [[ $KEEP_PG != 1 && " $BACKENDS " == *" postgres "* ]]; then
    for db in "$PG_DB" "${PG_DB}_demo" "${PG_DB}_national"; do pg "DROP DATABASE IF EXISTS $db" >/dev/null; done
    rm -f "$WORK"/postgres-*.generated
  fi
}
trap cleanup EXIT

if [[ $SKIP_BUILD != 1 ]]; then
  log "cargo build --release -p loft-cli (binary and the mapping_bench example)"
  (cd "$ROOT" && cargo build --release -p loft-cli && cargo build --release -p loft-cli --example mapping_bench)
fi

url() { # backend set -> database URL of the working copy
  [[ $1 == sqlite ]] && echo "sqlite://$WORK/$2.db" || echo "$PG_URL_BASE/${PG_DB}_$2"
}
sql() { # backend set statement
  if [[ $1 == sqlite ]]; then sqlite3 -cmd '.timeout 10000' "$WORK/$2.db" "$3"; else pg "$3" "${PG_DB}_$2"; fi
}

start_server() { # backend set
  printf 'database_url = "%s"\nlisten = "127.0.0.1:%s"\n' "$(url "$1" "$2")" "$PORT" >"$WORK/$1-$2.toml"
  RUST_LOG=warn,loft_web::routes::mapping::report=info,loft_store::mapping_release=info "$LOFT" --config "$WORK/$1-$2.toml" serve >"$WORK/serve-$1-$2.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve-$1-$2.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "server did not come up" >&2
  exit 1
}
stop_server() { # a report still being computed would keep a graceful shutdown waiting: SIGKILL after 5 s
  kill "$SERVER_PID"
  for _ in $(seq 1 25); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

login() { # user -> sets COOKIE
  local jar=$WORK/cookies.txt csrf session
  rm -f "$jar"
  curl -fsS -c "$jar" -o /dev/null "$BASE/login"
  csrf=$(awk '$6 == "loft_csrf" {print $7}' "$jar")
  curl -sS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$csrf" --data-urlencode "username=$1" \
    --data-urlencode "password=demo" --data-urlencode "next=/" "$BASE/login"
  session=$(awk '$6 == "loft_session" {print $7}' "$jar")
  [[ -n $session ]] || { echo "login as $1 failed" >&2; exit 1; }
  COOKIE="loft_csrf=$csrf; loft_session=$session"
}

# The demo set: `loft demo` seeds an empty database, then serves; it is stopped once it answers.
demo_base() { # backend
  local marker=$WORK/$1-demo.generated
  [[ -f $marker ]] && return
  local target
  if [[ $1 == sqlite ]]; then
    rm -f "$WORK"/demo-base.db*
    target="sqlite://$WORK/demo-base.db"
  else
    pg "DROP DATABASE IF EXISTS ${PG_DB}_demo" >/dev/null
    pg "CREATE DATABASE ${PG_DB}_demo" >/dev/null
    target="$(url postgres demo)"
  fi
  log "$1: seeding the demo set"
  LOFT_LISTEN=127.0.0.1:$PORT "$LOFT" demo --database-url "$target" >"$WORK/demo-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  stop_server
  [[ $1 == sqlite ]] && sqlite3 "$WORK/demo-base.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  [[ $1 == postgres ]] && pg "ANALYZE" "${PG_DB}_demo" >/dev/null
  date -u +%FT%TZ >"$marker"
}
demo_copy() { # backend: the working copy `demo` (PostgreSQL: the seeded database itself, reseeded next run)
  if [[ $1 == sqlite ]]; then
    rm -f "$WORK"/demo.db*
    cp "$WORK/demo-base.db" "$WORK/demo.db"
  fi
}

# The national set with one round answered by everyone: 557,205 responses × 28 answers.
national() { # backend
  local marker=$WORK/$1-national.generated
  [[ -f $marker ]] && return
  if [[ $1 == sqlite ]]; then
    rm -f "$WORK"/national.db*
    cp "$NATIONAL_DB" "$WORK/national.db"
  else
    pg "DROP DATABASE IF EXISTS ${PG_DB}_national" >/dev/null
    pg "CREATE DATABASE ${PG_DB}_national" >/dev/null
    log "postgres: generating the national data set"
    printf 'database_url = "%s"\n' "$(url postgres national)" >"$WORK/postgres-gen.toml"
    "$LOFT" --config "$WORK/postgres-gen.toml" generate | tail -1
  fi
  local round started
  round=$("$HELPER" round "$(url "$1" national)" Norge "Nasjonal kartlegging")
  log "$1: filling national round $round (load $(load))"
  started=$(date +%s.%N)
  sql "$1" national "INSERT INTO mapping_response (id, round_id, municipality_id, unit_id, role_group)
    SELECT 'n' || p.id, $round, p.municipality_id,
           (SELECT e.unit_id FROM employment e WHERE e.person_id = p.id ORDER BY e.id DESC LIMIT 1),
           CASE WHEN p.id % 10 = 0 THEN 'leder' ELSE 'ansatt' END
    FROM person p WHERE p.left_at IS NULL"
  sql "$1" national "INSERT INTO mapping_answer (response_id, framework_id, competence, level)
    SELECT r.id, q.framework_id, q.competence,
           CASE WHEN (CAST(substr(r.id, 2) AS INTEGER) + q.position) % 17 = 0 THEN NULL
                ELSE 1 + (CAST(substr(r.id, 2) AS INTEGER) * 7 + q.position * 3) % 4 END
    FROM mapping_response r JOIN round_question q ON q.round_id = r.round_id WHERE r.round_id = $round"
  # The running tallies that submits keep (migration 0008), counted once for the bulk-filled answers.
  sql "$1" national "INSERT INTO mapping_tally (round_id, municipality_id, unit_id, role_group, framework_id, competence, level, count)
    SELECT r.round_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role_group, a.framework_id, a.competence,
           COALESCE(a.level, 0), COUNT(*)
    FROM mapping_response r JOIN mapping_answer a ON a.response_id = r.id WHERE r.round_id = $round
    GROUP BY r.round_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role_group, a.framework_id, a.competence,
             COALESCE(a.level, 0)"
  [[ $1 == postgres ]] && pg "ANALYZE" "${PG_DB}_national" >/dev/null
  [[ $1 == sqlite ]] && sqlite3 "$WORK/national.db" "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  log "$1: filled in $(echo "$(date +%s.%N) - $started" | bc) s"
  echo "$round" >"$marker"
}

submit_store() { # backend
  "$HELPER" prepare "$(url "$1" demo)" Kongsbergregionen "$ROUNDS" "$WORK/tokens-store.txt" "$WORK/form.txt" >&2
  local out
  out=$("$HELPER" submit "$(url "$1" demo)" "$WORK/tokens-store.txt" "$STORE_CONC")
  record "backend=$1 scenario=submit-store ${out#RESULT }"
}

submit_http() { # backend
  "$HELPER" prepare "$(url "$1" demo)" Kongsbergregionen "$ROUNDS" "$WORK/tokens-http.txt" "$WORK/form.txt" >&2
  start_server "$1" demo
  local out
  out=$(BENCH_TOKENS=$WORK/tokens-http.txt BENCH_FORM=$WORK/form.txt BENCH_LABEL=submit-http \
    wrk -t1 -c"$HTTP_CONNS" -d"$HTTP_DURATION" --timeout 10s --latency -s "$BENCH/submit.lua" "$BASE" | tee "$WORK/$1-submit-http.wrk" | grep '^RESULT')
  # wrk's duration is always -d (a stopped thread idles until then): rps is only right if tokens were left over.
  local used=${out#*requests=}
  used=${used%% *}
  record "backend=$1 scenario=submit-http conns=$HTTP_CONNS tokens=$(wc -l <"$WORK/tokens-http.txt") ${out#RESULT }"
  ((used < $(wc -l <"$WORK/tokens-http.txt"))) || record "WARNING: submit-http used up its tokens; raise BENCH_ROUNDS"
  stop_server
  release_round "$1"
}

# The release of the benchmark round with the most parked (anonymous) answers: closed with SQL, then the first
# report request releases it (moves the parked answers shuffled and adds them to the tallies, 5,000 per
# transaction) and computes its report.
release_round() { # backend
  local round parked out
  round=$(sql "$1" demo "SELECT round_id FROM mapping_parked GROUP BY round_id ORDER BY COUNT(*) DESC LIMIT 1")
  [[ -n $round ]] || return 0
  parked=$(sql "$1" demo "SELECT COUNT(*) FROM mapping_parked WHERE round_id = $round")
  sql "$1" demo "UPDATE mapping_round SET opens_on = '2020-01-01', closes_on = '2020-01-31' WHERE id = $round" >/dev/null
  start_server "$1" demo
  login region
  out=$(curl -sS --max-time "$MAX_TIME" -H "Cookie: $COOKIE" -o /dev/null \
    -w 'status=%{http_code} seconds=%{time_total}' "$BASE/mapping/$round/report")
  sleep 0.5
  local released
  released=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve-$1-demo.log" | { grep "mapping round released round=$round " || true; } | { grep -o 'ms=[0-9]*' || true; })
  record "backend=$1 scenario=release round=$round parked=$parked release_$released first_report_$out still_parked=$(sql "$1" demo "SELECT COUNT(*) FROM mapping_parked WHERE round_id = $round") responses=$(sql "$1" demo "SELECT COUNT(*) FROM mapping_response WHERE round_id = $round")"
  stop_server
}

# First: the first request after the server starts, which releases the closed round if nobody has and waits for
# its one computation (a released round's figures never change, so there is no recomputation to measure); its time
# is also in the server log ("report computed", recorded as computed-*). Warm: the cached report, wrk for
# $DURATION.
report() { # backend set round label
  local backend=$1 set=$2 round=$3 label=$4 path="/mapping/$3/report" out
  start_server "$backend" "$set"
  login region
  local first
  first=$(curl -sS --max-time "$MAX_TIME" -H "Cookie: $COOKIE" -o "$WORK/$backend-$label.html" \
    -w 'status=%{http_code} seconds=%{time_total} bytes=%{size_download}' "$BASE$path" || true)
  record "backend=$backend scenario=$label-first $first"
  if [[ $first != *status=200* ]]; then stop_server; return; fi
  sleep 1
  out=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve-$backend-$set.log" | { grep "report computed round=$round " || true; } |
    { grep -o 'ms=[0-9]*' || true; } | cut -d= -f2 | sort -n | awk '{ a[NR] = $1 } END {
    if (NR) printf "n=%d min_ms=%d p50_ms=%d max_ms=%d", NR, a[1], a[int((NR + 1) / 2)], a[NR] }')
  record "backend=$backend scenario=$label-computed $out"
  curl -fsS -H "Cookie: $COOKIE" -o /dev/null "$BASE$path"
  echo "$path" >"$WORK/paths-report.txt"
  out=$(BENCH_PATHS=$WORK/paths-report.txt BENCH_COOKIE=$COOKIE BENCH_LABEL=$label-warm \
    wrk -t1 -c"$REPORT_CONNS" -d"$DURATION" --timeout 10s --latency -s "$BENCH/paths.lua" "$BASE" | tee "$WORK/$backend-$label-warm.wrk" | grep '^RESULT')
  record "backend=$backend scenario=$label-warm conns=$REPORT_CONNS ${out#RESULT }"
  stop_server
}

for backend in $BACKENDS; do
  for scenario in $SCENARIOS; do
    log "$backend $scenario (load $(load))"
    case $scenario in
      submit-store) demo_base "$backend"; demo_copy "$backend"; submit_store "$backend" ;;
      submit-http) demo_base "$backend"; demo_copy "$backend"; submit_http "$backend" ;;
      report-region)
        demo_base "$backend"
        [[ $backend == sqlite && ! -f $WORK/demo.db ]] && demo_copy "$backend"
        round=$(sql "$backend" demo "SELECT id FROM mapping_round WHERE name = 'Kartlegging 2016'")
        record "backend=$backend region_round=$round responses=$(sql "$backend" demo "SELECT COUNT(*) FROM mapping_response WHERE round_id = $round")"
        report "$backend" demo "$round" report-region
        ;;
      report-national)
        national "$backend"
        round=$(cat "$WORK/$backend-national.generated")
        record "backend=$backend national_round=$round responses=$(sql "$backend" national "SELECT COUNT(*) FROM mapping_response WHERE round_id = $round") answers=$(sql "$backend" national "SELECT COUNT(*) FROM mapping_answer a JOIN mapping_response r ON r.id = a.response_id WHERE r.round_id = $round")"
        report "$backend" national "$round" report-national
        ;;
      *) echo "unknown scenario $scenario" >&2; exit 1 ;;
    esac
  done
done

{
  echo "SUMMARY $(date -u +%FT%TZ) commit=$(git -C "$ROOT" rev-parse --short HEAD) nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)\""
  cat "$RESULTS"
} | tee "$WORK/summary.txt"
