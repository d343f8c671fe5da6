#!/usr/bin/env bash
# Foundation benchmarks for Løft: login page, home page, people search (web and
# API) on the national-scale data set, on SQLite and PostgreSQL, with the
# server's RSS sampled during the load. See bench/README.md.
#
# Everything it creates lives in $BENCH_WORK (default /tmp/loft-bench) and in
# a PostgreSQL database $BENCH_PG_DB (default loft_bench) that is dropped at
# the end unless BENCH_KEEP_PG=1. Only 127.0.0.1 is ever targeted.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=${BENCH_WORK:-/tmp/loft-bench}
PORT=${BENCH_PORT:-8099}
BASE=http://127.0.0.1:$PORT
DURATION=${BENCH_DURATION:-20s}          # each measured wrk run
WARMUP=${BENCH_WARMUP:-5s}               # unmeasured run before each scenario
PAGE_CONNS=${BENCH_PAGE_CONNS:-32}       # connections for the login/home scenarios
SEARCH_CONNS=${BENCH_SEARCH_CONNS:-8}    # connections for the people-search scenarios
THREADS=${BENCH_THREADS:-2}
TIMEOUT=${BENCH_TIMEOUT:-10s}           # wrk leaves slower requests out of the latency figures
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
SCENARIOS=${BENCH_SCENARIOS:-"login home people-web people-api people-web-c1"}
PER_TERM=${BENCH_PER_TERM:-1}            # also time every search path alone, one connection
PER_TERM_DURATION=${BENCH_PER_TERM_DURATION:-5s}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_USER=${BENCH_PG_USER:-postgres}
PG_DB=${BENCH_PG_DB:-loft_bench}
KEEP_PG=${BENCH_KEEP_PG:-0}
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
GENERATE_ARGS=${BENCH_GENERATE_ARGS:-}  # e.g. "--municipalities 20 --population 200000" for a quick trial
# Another binary to measure (e.g. a patched build); implies BENCH_SKIP_BUILD=1.
LOFT=${BENCH_LOFT:-${CARGO_TARGET_DIR:-$ROOT/target}/release/loft}
[[ -n ${BENCH_LOFT:-} ]] && SKIP_BUILD=1

mkdir -p "$WORK"
RESULTS=$WORK/results.txt
: >"$RESULTS"
SERVER_PID=
SAMPLER_PID=

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

cleanup() {
  set +e
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [[ $KEEP_PG != 1 && " $BACKENDS " == *" postgres "* ]]; then
    log "dropping PostgreSQL database $PG_DB"
    psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qAtc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null
    rm -f "$WORK/postgres.generated"
  fi
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install -y jq" >&2; exit 1; }

# --- build -------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
  log "cargo build --release -p loft-cli"
  (cd "$ROOT" && cargo build --release -p loft-cli)
fi
[[ -x $LOFT ]] || { echo "$LOFT not found" >&2; exit 1; }

# The configuration goes in a file: it does not depend on how environment
# variables are mapped, and names node_modules absolutely.
write_config() { # backend url
  cat >"$WORK/$1.toml" <<EOF
database_url = "$2"
listen = "127.0.0.1:$PORT"
node_modules = "$ROOT/node_modules"
EOF
}

# --- data sets -----------------------------------------------------------------
generate() { # backend
  local backend=$1 marker=$WORK/$1.generated
  if [[ -f $marker ]]; then
    log "$backend: national data set already generated ($(cat "$marker"))"
    return
  fi
  if [[ $backend == sqlite ]]; then
    rm -f "$WORK/national.db" "$WORK/national.db-wal" "$WORK/national.db-shm"
  else
    psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qAtc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null
    psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qAtc "CREATE DATABASE $PG_DB" >/dev/null
  fi
  log "$backend: generating the national data set (load $(load))"
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2086 # GENERATE_ARGS is a list of arguments
  "$LOFT" --config "$WORK/$backend.toml" generate $GENERATE_ARGS | tee "$WORK/generate-$backend.log"
  end=$(date +%s.%N)
  if [[ $backend == postgres ]]; then
    # A bulk load leaves PostgreSQL without planner statistics until autovacuum
    # analyses the tables; on a server with autovacuum = off that is never. Do
    # what autovacuum would do, so the plans are those of a normal server.
    log "postgres: ANALYZE (autovacuum = $(psql -h "$PG_HOST" -U "$PG_USER" -d "$PG_DB" -qAtc 'SHOW autovacuum'))"
    psql -h "$PG_HOST" -U "$PG_USER" -d "$PG_DB" -qAtc "ANALYZE" >/dev/null
  fi
  printf 'generate_wall_s=%.1f load_before="%s" load_after="%s"\n' \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$GEN_LOAD" "$(load)" >"$marker"
  cat "$marker" >>"$WORK/generate-$backend.log"
}

write_config sqlite "sqlite://$WORK/national.db"
write_config postgres "postgres://$PG_USER@$PG_HOST:5432/$PG_DB"

for backend in $BACKENDS; do
  GEN_LOAD=$(load)
  generate "$backend"
  echo "GENERATE backend=$backend $(cat "$WORK/$backend.generated")" >>"$RESULTS"
done

# --- server ------------------------------------------------------------------
start_server() { # backend
  log "$1: starting the server on $BASE"
  RUST_LOG=warn "$LOFT" --config "$WORK/$1.toml" serve >"$WORK/serve-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve-$1.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "server did not come up" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# CPU accounting, to see whether something else on the machine disturbed a run.
# Prints: all-CPU jiffies, busy jiffies, the server's jiffies, all postgres processes' jiffies.
cpu_snapshot() {
  local all busy server pg
  read -r all busy < <(awk '/^cpu / {t = 0; for (i = 2; i <= 9; i++) t += $i; print t, t - $5 - $6}' /proc/stat)
  server=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  pg=$(cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 == "(postgres)" {s += $14 + $15} END {print s + 0}')
  echo "$all $busy $server $pg"
}
# Share of the machine's CPU (all cores = 100 %) used by anything other than
# the server, PostgreSQL and wrk during a run.
other_cpu() { # before after "wrk-user-s wrk-sys-s"
  awk -v b="$1" -v a="$2" -v w="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(b, x); split(a, y); split(w, t)
    other = (y[2] - x[2]) - (y[3] - x[3]) - (y[4] - x[4]) - (t[1] + t[2]) * hz
    if (other < 0) other = 0
    printf "%.0f", 100 * other / (y[1] - x[1])
  }'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

start_sampler() { # file
  (while kill -0 "$SERVER_PID" 2>/dev/null; do rss_kb; sleep 0.5; done) >"$1" 2>/dev/null &
  SAMPLER_PID=$!
}
stop_sampler() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=
}

# --- logging in ----------------------------------------------------------------
login() { # sets COOKIE and TOKEN
  local jar=$WORK/cookies.txt csrf session
  rm -f "$jar"
  curl -fsS -c "$jar" -o /dev/null "$BASE/login"
  csrf=$(awk '$6 == "loft_csrf" {print $7}' "$jar")
  [[ -n $csrf ]] || { echo "no loft_csrf cookie from GET /login" >&2; exit 1; }
  curl -sS -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "csrf_token=$csrf" --data-urlencode "username=admin" \
    --data-urlencode "password=demo" --data-urlencode "next=/" "$BASE/login"
  session=$(awk '$6 == "loft_session" {print $7}' "$jar")
  [[ -n $session ]] || { echo "login as admin failed (no loft_session cookie)" >&2; exit 1; }
  COOKIE="loft_csrf=$csrf; loft_session=$session"
  TOKEN=$(curl -fsS -H "Cookie: $COOKIE" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "name=bench-$(date +%s)" "$BASE/account/tokens" |
    sed -n 's/.*<code class="token" id="new-token">\([^<]*\)<.*/\1/p' | head -n1)
  [[ -n $TOKEN ]] || { echo "could not create an API token" >&2; exit 1; }
}

# --- search paths ----------------------------------------------------------------
# Search terms come from the data itself (through the API), so the script needs
# neither sqlite3 nor psql and works on any generated set.
write_search_paths() { # file
  local munis largest smallest middle sample email number
  munis=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/municipalities")
  # The array may be the body itself or under "items".
  local sel='(if type == "array" then . else .items end)'
  largest=$(jq -r "$sel | max_by(.population) | .id" <<<"$munis")
  smallest=$(jq -r "$sel | min_by(.population) | .id" <<<"$munis")
  middle=$(jq -r "$sel | sort_by(.population) | .[length/2|floor] | .id" <<<"$munis")
  sample=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/people?q=Kari&municipality=$middle")
  email=$(jq -r '[.items[] | select(.email != null)][0].email' <<<"$sample")
  number=$(jq -r '[.items[] | select(.employee_number != null)][0].employee_number' <<<"$sample")
  local email_prefix=${email:0:7}
  {
    echo "/people?q=Han"
    echo "/people?q=%C3%98"           # Ø
    echo "/people?q=Br%C3%A5t"        # Bråt
    echo "/people?q=Kari"
    echo "/people?q=$email_prefix"
    echo "/people?q=$number"
    echo "/people?municipality=$largest"
    echo "/people?municipality=$middle"
    echo "/people?municipality=$smallest"
    echo "/people?q=Han&municipality=$largest"
    echo "/people"
  } >"$1"
  log "search paths: $(tr '\n' ' ' <"$1")"
}

# --- one measured scenario ----------------------------------------------------------
# Prints wrk's latency distribution and appends a RESULT line (with p95, peak
# RSS and the load average before the run) to $RESULTS.
scenario() { # backend label conns paths-file cookie token [duration]
  local backend=$1 label=$2 conns=$3 paths=$4 cookie=$5 token=$6 duration=${7:-$DURATION}
  [[ $label == term:* || " $SCENARIOS " == *" $label "* ]] || return 0
  local threads=$THREADS rssfile=$WORK/rss-$backend-${label//[^A-Za-z0-9-]/_}.txt out
  ((conns < threads)) && threads=$conns
  export BENCH_PATHS=$paths BENCH_COOKIE=$cookie BENCH_TOKEN=$token BENCH_LABEL=$label
  if [[ -n $WARMUP && $WARMUP != 0 && $duration == "$DURATION" ]]; then
    wrk -t"$threads" -c"$conns" -d"$WARMUP" -s "$BENCH/paths.lua" "$BASE" >/dev/null
  fi
  local load_before before after other
  load_before=$(load)
  before=$(cpu_snapshot)
  start_sampler "$rssfile"
  out=$(/usr/bin/time -f '%U %S' -o "$WORK/wrk-time.txt" \
    wrk -t"$threads" -c"$conns" -d"$duration" --timeout "$TIMEOUT" --latency -s "$BENCH/paths.lua" "$BASE")
  stop_sampler
  after=$(cpu_snapshot)
  other=$(other_cpu "$before" "$after" "$(cat "$WORK/wrk-time.txt")")
  local peak
  peak=$(sort -n "$rssfile" | tail -n1)
  echo "== $backend $label (connections=$conns, load before: $load_before)" >&2
  grep -v '^RESULT' <<<"$out" >&2
  grep '^RESULT' <<<"$out" |
    sed "s/^RESULT /RESULT backend=$backend conns=$conns /; s/\$/ peak_rss_kb=$peak other_cpu_pct=$other load=\"$load_before\"/" >>"$RESULTS"
}

run_backend() { # backend
  local backend=$1
  start_server "$backend"
  login
  echo "/login" >"$WORK/paths-login.txt"
  echo "/" >"$WORK/paths-home.txt"
  write_search_paths "$WORK/paths-people.txt"
  sed 's#^/people#/api/v1/people#' "$WORK/paths-people.txt" >"$WORK/paths-api.txt"
  echo "RSS backend=$backend idle_after_login_kb=$(rss_kb)" >>"$RESULTS"

  # (a) pages: the login page anonymously, the home page with a session.
  scenario "$backend" login "$PAGE_CONNS" "$WORK/paths-login.txt" "" ""
  scenario "$backend" home "$PAGE_CONNS" "$WORK/paths-home.txt" "$COOKIE" ""
  # (b) people search: the web page with the admin's session, the API with a token.
  scenario "$backend" people-web "$SEARCH_CONNS" "$WORK/paths-people.txt" "$COOKIE" ""
  scenario "$backend" people-api "$SEARCH_CONNS" "$WORK/paths-api.txt" "" "$TOKEN"
  scenario "$backend" people-web-c1 1 "$WORK/paths-people.txt" "$COOKIE" ""

  if [[ $PER_TERM == 1 ]]; then
    local i=0 path
    while read -r path; do
      i=$((i + 1))
      echo "$path" >"$WORK/paths-term-$i.txt"
      scenario "$backend" "term:$path" 1 "$WORK/paths-term-$i.txt" "$COOKIE" "" "$PER_TERM_DURATION"
    done <"$WORK/paths-people.txt"
  fi
  echo "RSS backend=$backend after_load_kb=$(rss_kb)" >>"$RESULTS"
  stop_server
}

echo "MACHINE nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo) commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- crates || echo -dirty)" >>"$RESULTS"
for backend in $BACKENDS; do
  run_backend "$backend"
done

# --- summary -------------------------------------------------------------------
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "<") ? (v + 0 < t + 0) : (v + 0 >= t + 0); print ok ? "pass" : "FAIL" }'; }
{
  echo
  echo "Summary ($(date -u +%FT%TZ)); raw lines in $RESULTS"
  grep '^MACHINE\|^GENERATE' "$RESULTS"
  printf '%-9s %-16s %5s %8s %8s %8s %8s %9s %6s  %s\n' backend scenario conns req/s p50ms p95ms p99ms peakRSSMB other% verdict
  peak_all=0
  while read -r line; do
    b=$(field backend "$line"); l=$(field label "$line"); c=$(field conns "$line")
    rps=$(field rps "$line"); p50=$(field p50_ms "$line"); p95=$(field p95_ms "$line"); p99=$(field p99_ms "$line")
    rss=$(field peak_rss_kb "$line"); bad=$(( $(field non2xx "$line") + $(field socket_errors "$line") ))
    ((rss > peak_all)) && peak_all=$rss
    case $l in
      login | home) v="rps>=2000 $(verdict "$rps" 2000 '>=') p99<50 $(verdict "$p99" 50 '<')" ;;
      people-*) v="p95<30 $(verdict "$p95" 30 '<')" ;;
      *) v="" ;;
    esac
    ((bad > 0)) && v="$v errors=$bad"
    printf '%-9s %-16s %5s %8s %8s %8s %8s %9s %6s  %s\n' "$b" "${l:0:16}" "$c" "$rps" "$p50" "$p95" "$p99" "$((rss / 1024))" "$(field other_cpu_pct "$line")" "$v"
  done < <(grep '^RESULT' "$RESULTS")
  echo "peak RSS over all scenarios: $((peak_all / 1024)) MB (target < 150 MB: $(verdict "$peak_all" $((150 * 1024)) '<'))"
} | tee "$WORK/summary.txt"
