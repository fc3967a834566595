#!/usr/bin/env bash
# Issue 6's benchmark. Starts the service on a fresh database with gateway delay 0, runs
# `payouts.jar loadtest` at each size in BENCH_SIZES, checks the ledger, then fills payout_requests
# to BENCH_FILL_ROWS rows and runs wrk on GET and POST /api/payouts. Prints a markdown table (also
# written to $BENCH_OUT/results.md). Talks to 127.0.0.1 only; every step has a time bound.
#
#   BENCH_SIZES="1000 10000 20000 100000"   load-run sizes, in order (the smaller ones warm the JVM up)
#   BENCH_FILL_ROWS=1000000           rows for the HTTP part; 0 skips the HTTP part
#   PORT=18580 GW_PORT=18581          service and built-in mock gateway ports
#   BENCH_DB=payouts_bench            dropped and created afresh
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/4   flushed at the start
#   BENCH_USERS=100 BENCH_CONCURRENCY=64 BENCH_BATCH=500   loadtest options
#   BENCH_INFLIGHT_RUNS="6000:30000 25000:100000"   runs at gateway delay 3-10 s, after the others:
#                                     PER_INSTANCE:N each (payouts in flight per processor instance,
#                                     two instances, and payouts); empty skips them
#   WRK_THREADS=2 WRK_CONNECTIONS=32 WRK_DURATION=20s WRK_POST_USERS=16
#   WRK_WARMUP=5s                     an untimed wrk run of the same request before each timed one (0: none)
#   WRK_LATENCY_CONNECTIONS=4         a second GET run at this concurrency, for latency
#   BENCH_PEER_N=20000 BENCH_PEER_CONCURRENCY=8   the BullMQ peer and the outside client, same N, same run
#   PEER_RUN=../shared/peers/bullmq/run.sh          the peer's launcher; the comparison is skipped without it
#   BENCH_APPROVAL_SIZES="10000 100000 1000000"     table sizes at which one 200-id batch approval is timed
#   SERVICE_JAVA_OPTS="-Xmx256m"      the service's JVM options (set it empty for the JVM's own heap sizing)
#   LOADTEST_JAVA_OPTS                the load-test client's JVM options (none by default)
#   BENCH_OUT=target/bench            logs, RSS samples, wrk output, results.md
#   BENCH_JAR=target/payouts.jar      the build to measure (bench/compare.sh passes an older one)
#   BENCH_PROFILE=yes                 during each wrk run, the CPU of the service, Postgres, Redis and
#                                     the kernel, and a JFR recording of the service (jcmd) summed
#                                     up by bench/jfr-top.sh; no skips both
# Service settings in the environment (PAYOUTS_PROCESSOR_CONCURRENCY, PAYOUTS_PG_POOL_SIZE, ...)
# pass through to the service.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-1000 10000 20000 100000}
FILL_ROWS=${BENCH_FILL_ROWS:-1000000}
PORT=${PORT:-18580}
GW_PORT=${GW_PORT:-18581}
DB=${BENCH_DB:-payouts_bench}
ADMIN_URL=${PAYOUTS_PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
USERS=${BENCH_USERS:-100}
CONCURRENCY=${BENCH_CONCURRENCY:-64}
BATCH=${BENCH_BATCH:-500}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_DURATION=${WRK_DURATION:-20s}
WRK_WARMUP=${WRK_WARMUP:-5s}
WRK_POST_USERS=${WRK_POST_USERS:-16}
WRK_LATENCY_CONNECTIONS=${WRK_LATENCY_CONNECTIONS:-4}
INFLIGHT_RUNS=${BENCH_INFLIGHT_RUNS-6000:30000 25000:100000}
INFLIGHT_DELAY=${BENCH_INFLIGHT_DELAY:-3000-10000}
OUT=${BENCH_OUT:-target/bench}
PEER_N=${BENCH_PEER_N:-20000}
PEER_CONCURRENCY=${BENCH_PEER_CONCURRENCY:-8}
PEER_RUN=${PEER_RUN:-../shared/peers/bullmq/run.sh}
APPROVAL_SIZES=${BENCH_APPROVAL_SIZES:-10000 100000 1000000}
API=http://127.0.0.1:$PORT

export PAYOUTS_PG_URL=${ADMIN_URL%/*}/$DB
export PAYOUTS_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}
export PAYOUTS_HTTP_PORT=$PORT PAYOUTS_GATEWAY_PORT=$GW_PORT PAYOUTS_GATEWAY_DELAY_MS=0
export PAYOUTS_GATEWAY_SEED=${PAYOUTS_GATEWAY_SEED:-42}
export PAYOUTS_ADMIN_PASSWORD=${PAYOUTS_ADMIN_PASSWORD:-bench-admin-password}
unset PAYOUTS_GATEWAY_URL PAYOUTS_CONFIG # the built-in mock gateway, configured only from here

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }
for tool in java psql redis-cli curl timeout awk; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
HAVE_WRK=yes
if ! command -v wrk >/dev/null && [ "${BENCH_INSTALL:-yes}" = yes ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "wrk is missing: installing it (Debian's package; BENCH_INSTALL=no to skip)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >/dev/null 2>&1 || true
fi
if ! command -v wrk >/dev/null; then
  HAVE_WRK=no
  say "wrk is missing: the wrk runs will be skipped (install it with: apt-get install -y wrk)"
fi

# Everything is written to a private directory first and copied to $OUT at the end, so a
# `mvn clean` by someone else during the run loses nothing (and cannot delete the running jar).
WORK=$(mktemp -d)
PID=
SAMPLER=
PHASE=$WORK/phase
RSS=$WORK/rss.txt
stop_service() {
  if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; fi
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$PID" 2>/dev/null || true
  fi
  PID=
  SAMPLER=
}
cleanup() {
  stop_service
  if [ -d "$WORK" ]; then
    rm -f "$WORK/payouts.jar"
    mkdir -p "$OUT" && cp -r "$WORK"/. "$OUT"/ 2>/dev/null || say "could not copy the results to $OUT"
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -f "$OUT"/loadtest-*.out "$OUT"/loadtest-*.log "$OUT"/wrk-*.txt "$OUT"/results.md "$OUT"/payouts.jar 2>/dev/null || true
JAR=$WORK/payouts.jar
SOURCE_JAR=${BENCH_JAR:-target/payouts.jar}
if [ -z "${BENCH_JAR:-}" ] && { ! [ -f target/payouts.jar ] || ! java -jar target/payouts.jar loadtest --help >/dev/null 2>&1; }; then
  say "building target/payouts.jar"
  timeout 900 mvn -q -B package -DskipTests
fi
[ -f "$SOURCE_JAR" ] || die "no jar at $SOURCE_JAR"
# A private copy outside target/: a rebuild or `mvn clean` during the run changes nothing that runs.
cp "$SOURCE_JAR" "$JAR"

say "fresh database $DB and Redis ${PAYOUTS_REDIS_URL##*/}"
timeout 120 psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1 \
  || die "cannot recreate database $DB"
timeout 30 redis-cli -u "$PAYOUTS_REDIS_URL" flushdb >/dev/null || die "cannot flush $PAYOUTS_REDIS_URL"
sql() { timeout "${2:-120}" psql "$PAYOUTS_PG_URL" -v ON_ERROR_STOP=1 -Atqc "$1"; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
phase() { echo "$1" >"$PHASE"; }
echo start >"$PHASE"
# start_service LOG: the service in the background, its resident memory sampled every second
# (tagged with the phase, to report the maximum), and a wait until /health answers.
start_service() {
  say "starting the service on $API (gateway delay $PAYOUTS_GATEWAY_DELAY_MS ms, log $OUT/$1)"
  # shellcheck disable=SC2086 # options are words
  # shellcheck disable=SC2086
  java ${SERVICE_JAVA_OPTS--Xmx256m} -jar "$JAR" serve ${SERVICE_ROLES:+--roles $SERVICE_ROLES} >"$WORK/$1" 2>&1 &
  PID=$!
  local pid=$PID
  (
    while kill -0 "$pid" 2>/dev/null; do
      kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$kb" ] && echo "$(cat "$PHASE") $kb"
      sleep 1
    done
  ) >>"$RSS" &
  SAMPLER=$!
  for _ in $(seq 1 180); do
    curl -sf "$API/health" >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || die "the service exited; see $OUT/$1"
    sleep 0.5
  done
  curl -sf "$API/health" >/dev/null || die "the service did not become healthy in 90 s; see $OUT/$1"
}
# max_rss_mb PHASE, or max_rss_mb PREFIX prefix: the largest sample in MB
max_rss_mb() {
  awk -v p="$1" -v prefix="${2:-}" '($1 == p || (prefix != "" && index($1, p) == 1)) && $2 > m {m = $2}
    END {printf "%d", m / 1024}' "$RSS"
}

start_service service.log
TOKEN=$(timeout 120 java -jar "$JAR" token create --name bench 2>"$WORK/token.err") || die "token create failed: $(cat "$WORK/token.err")"
export PAYOUTS_TOKEN=$TOKEN

# field LINE KEY: the value of KEY=... in a loadtest summary line
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

ROWS=()
# What a staff dashboard on the bridge received during each run (loadtest signs in with
# PAYOUTS_ADMIN_PASSWORD and counts the pushes per second).
DASH_NOTES=()
# load_run N NAME: one `payouts.jar loadtest` of N payouts in phase NAME; its table row in ROW
load_run() {
  local n=$1 name=$2
  local lt_timeout=$((180 + n / 40))
  phase "$name"
  say "loadtest $name: N=$n (bounded to ${lt_timeout}s)"
  local started rc wall line
  started=$(date +%s)
  set +e
  # shellcheck disable=SC2086
  timeout $((lt_timeout + 360)) java ${LOADTEST_JAVA_OPTS:-} -jar "$JAR" loadtest --url "$API" \
    --users "$USERS" --payouts "$n" --concurrency "$CONCURRENCY" --batch "$BATCH" \
    --timeout "${lt_timeout}s" --pg-url "$PAYOUTS_PG_URL" \
    >"$WORK/loadtest-$name.out" 2> >(tee "$WORK/loadtest-$name.log" >&2)
  rc=$?
  set -e
  wall=$(($(date +%s) - started))
  local dash
  dash=$(grep '^dashboard:' "$WORK/loadtest-$name.log" | tail -1 || true)
  DASH_NOTES+=("$name: ${dash:-dashboard: no report}")
  line=$(grep '^N=' "$WORK/loadtest-$name.out" | tail -1 || true)
  if [ -z "$line" ]; then
    ROW="| $n | - | - | - | - | - | - | - | - | no result (exit $rc) | $wall | $(max_rss_mb "$name") |"
    return
  fi
  echo "$line"
  LAST_LINE=$line
  ROW="| $n | $(field "$line" payouts/s) | $(field "$line" p50) | $(field "$line" p99) | $(field "$line" max) \
| $(field "$line" completed) | $(field "$line" failed) | $(field "$line" unfinished) | $(field "$line" http_errors) \
| $(field "$line" invariants) (exit $rc) | $wall | $(max_rss_mb "$name") |"
}
for n in $SIZES; do
  load_run "$n" "N=$n"
  ROWS+=("$ROW")
done
BLOCKED_ZERO_DELAY=$(grep -c 'Thread blocked' "$WORK/service.log" || true)

# ---- an outside client and the peer, same N, same invocation ------------------------------------
# The outside client approves through the public API in sequential 200-id batches, as an admin's
# script does; the peer (BullMQ + node-postgres) does the same database work per payout. Each gets
# the machine to itself: the service is idle during the peer's run.
OUTSIDE_LINE=
PEER_LINE=
if [ "$PEER_N" -gt 0 ]; then
  phase outside
  say "outside client: N=$PEER_N, sequential 200-id batch approvals through the API"
  set +e
  OUTSIDE_LINE=$(timeout 1200 bench/outside-client.sh "$API" "$TOKEN" "$PEER_N" 200 2>"$WORK/outside.log" | tail -1)
  set -e
  say "outside client: ${OUTSIDE_LINE:-no result (see $OUT/outside.log)}"
  if [ -x "$PEER_RUN" ]; then
    phase peer
    say "peer: $PEER_RUN $PEER_N $PEER_CONCURRENCY"
    set +e
    PEER_LINE=$(timeout 1200 "$PEER_RUN" "$PEER_N" "$PEER_CONCURRENCY" 2>"$WORK/peer.log" | grep 'payouts/s' | tail -1)
    set -e
    say "peer: ${PEER_LINE:-no result (see $OUT/peer.log)}"
  else
    say "no peer at $PEER_RUN (set PEER_RUN): the comparison is skipped"
  fi
fi

# ---- many payouts in flight: the gateway at 3-10 s ---------------------------------------------
INFLIGHT_NOTES=()
INFLIGHT_ROWS=()
INFLIGHT_TARGET_ROWS=()
for run in $INFLIGHT_RUNS; do
  per_instance=${run%%:*} n=${run##*:}
  in_flight=$((per_instance * ${PAYOUTS_PROCESSOR_INSTANCES:-2}))
  stop_service
  export PAYOUTS_GATEWAY_DELAY_MS=$INFLIGHT_DELAY PAYOUTS_PROCESSOR_CONCURRENCY=$per_instance
  start_service "service-inflight-$in_flight.log"
  # Payouts in processing (from Postgres) and the service's used heap (jstat) every second.
  (
    while kill -0 "$PID" 2>/dev/null; do
      c=$(timeout 10 psql "$PAYOUTS_PG_URL" -Atqc "SELECT count(*) FROM payout_requests WHERE status = 'processing'" 2>/dev/null || echo -)
      heap=$(timeout 10 jstat -gc "$PID" 2>/dev/null | awk 'NR == 2 {printf "%d", ($3 + $4 + $6 + $8) / 1024}' || true)
      echo "$(date +%s) ${c:--} ${heap:--}"
      sleep 1
    done
  ) >"$WORK/inflight-$in_flight.txt" &
  INFLIGHT_SAMPLER=$!
  LAST_LINE=
  load_run "$n" "inflight-$in_flight"
  INFLIGHT_ROWS+=("$ROW")
  rate=$(field "$LAST_LINE" payouts/s)
  kill "$INFLIGHT_SAMPLER" 2>/dev/null || true
  max_inflight=$(awk '$2 ~ /^[0-9]+$/ && $2 > m {m = $2} END {print m + 0}' "$WORK/inflight-$in_flight.txt")
  heap_range=$(awk '$3 ~ /^[0-9]+$/ {if (min == "" || $3 < min) min = $3; if ($3 > max) max = $3} END {print min "-" max}' "$WORK/inflight-$in_flight.txt")
  INFLIGHT_NOTES+=("up to $in_flight in flight ($per_instance per processor instance), N=$n: at most $max_inflight payouts in processing at once (sampled every second); used heap $heap_range MB (jstat); max RSS $(max_rss_mb "inflight-$in_flight") MB; $(grep -c 'Thread blocked' "$WORK/service-inflight-$in_flight.log" || true) blocked-thread warnings")
  INFLIGHT_TARGET_ROWS+=("| gateway delay 3-10 s, up to $in_flight in flight: payouts/s | ${rate:-not run}/s | >= 1,700/s at 12,000 |")
  INFLIGHT_TARGET_ROWS+=("| gateway delay 3-10 s, up to $in_flight in flight: most in processing at once | ${max_inflight}, used heap ${heap_range} MB | >= 50,000 with heap < 256 MB |")
done

phase verify
set +e
timeout 600 java -jar "$JAR" verify-ledger >"$WORK/verify-ledger.txt" 2>&1
verify_rc=$?
set -e
VERIFY="verify-ledger after the load runs: exit $verify_rc: $(grep -E '^(ledger OK|BROKEN|error)' "$WORK/verify-ledger.txt" | head -3 | tr '\n' ' ')"
say "$VERIFY"

# ---- the HTTP part -------------------------------------------------------------------------------
HTTP_ROWS=()
APPROVAL_ROWS=()
HTTP_NOTES=()
wrk_row() { # NAME FILE
  local f=$2
  local rps p50 p99 non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  p50=$(awk '$1 == "50%" {print $2}' "$f")
  p99=$(awk '$1 == "99%" {print $2}' "$f")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")
  sockerr=$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); print}' "$f")
  HTTP_ROWS+=("| $1 | ${rps:--} | ${p50:--} | ${p99:--} | ${non2xx:-0} | ${sockerr:-none} |")
}
# Where the CPU went during a wrk run: the ticks of the service, of every Postgres and Redis
# process and of the machine, before and after (a process that started meanwhile counts from 0).
CPU_ROWS=()
cpu_mark() { # FILE
  {
    for p in $PID; do awk -v p="$p" '{sub(/^.*\) /, ""); print "service", p, $12 + $13}' "/proc/$p/stat" 2>/dev/null || true; done
    for p in $(pgrep -x postgres); do awk -v p="$p" '{sub(/^.*\) /, ""); print "postgres", p, $12 + $13}' "/proc/$p/stat" 2>/dev/null || true; done
    for p in $(pgrep -x redis-server); do awk -v p="$p" '{sub(/^.*\) /, ""); print "redis", p, $12 + $13}' "/proc/$p/stat" 2>/dev/null || true; done
    awk '/^cpu / {print "user", 0, $2 + $3; print "kernel", 0, $4 + $7 + $8; print "idle", 0, $5 + $6; print "total", 0, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
  } >"$1"
}
cpu_row() { # NAME BEFORE AFTER: shares of both cores (100 % = the whole machine)
  CPU_ROWS+=("$(awk -v name="$1" 'FNR == NR {before[$1 " " $2] = $3; next}
    {d = $3 - before[$1 " " $2]; sum[$1] += d}
    END {t = sum["total"]; if (t <= 0) t = 1
      printf "| %s | %.0f %% | %.0f %% | %.0f %% | %.0f %% | %.0f %% | %.0f %% |", name,
        sum["service"] * 100 / t, sum["postgres"] * 100 / t, sum["redis"] * 100 / t,
        (sum["user"] + sum["kernel"] - sum["service"] - sum["postgres"] - sum["redis"]) * 100 / t,
        sum["kernel"] * 100 / t, sum["idle"] * 100 / t}' "$2" "$3")")
}
PROFILE=${BENCH_PROFILE:-yes}
JFR_SECTIONS=()
run_wrk() { # NAME FILE SCRIPT URL [CONNECTIONS]
  local connections=${5:-$WRK_CONNECTIONS}
  local secs=${WRK_DURATION%s}
  local tag
  tag=$(basename "$2" .txt)
  [[ $secs =~ ^[0-9]+$ ]] || secs=60
  # The http-only service was started for this part: let its JIT see the request first, untimed.
  if [ "$WRK_WARMUP" != 0 ]; then
    timeout 120 wrk -t"$WRK_THREADS" -c"$connections" -d"$WRK_WARMUP" -s "$3" "$4" >/dev/null 2>&1 || true
  fi
  local jfr=no
  if [ "$PROFILE" = yes ] && command -v jcmd >/dev/null \
      && timeout 30 jcmd "$PID" JFR.start name="$tag" settings=profile filename="$WORK/$tag.jfr" >/dev/null 2>&1; then
    jfr=yes
  fi
  cpu_mark "$WORK/$tag.cpu0"
  set +e
  timeout $((secs + 60)) wrk -t"$WRK_THREADS" -c"$connections" -d"$WRK_DURATION" --latency -s "$3" "$4" >"$2" 2>&1
  local rc=$?
  set -e
  cpu_mark "$WORK/$tag.cpu1"
  cat "$2" >&2
  if [ $rc -ne 0 ]; then HTTP_NOTES+=("wrk for $1 exited $rc; see $2"); fi
  wrk_row "$1, $connections connections" "$2"
  cpu_row "$1, $connections connections" "$WORK/$tag.cpu0" "$WORK/$tag.cpu1"
  if [ "$jfr" = yes ]; then
    timeout 60 jcmd "$PID" JFR.stop name="$tag" >/dev/null 2>&1 || true
    if [ -s "$WORK/$tag.jfr" ]; then
      JFR_SECTIONS+=("### $1, $connections connections (JFR, \`$tag.jfr\`)"$'\n\n'"$(timeout 120 bench/jfr-top.sh "$WORK/$tag.jfr" 10 2>&1 || echo "(jfr-top.sh failed: exit $?)")")
    fi
  fi
}

if [ "$FILL_ROWS" -gt 0 ]; then
  # The HTTP part measures the API alone: a service with the http role only, so approvals are not
  # followed by processing on the same two cores, on a database of its own, so that each table size
  # below is the table's whole size (the load runs above left hundreds of thousands of rows).
  stop_service
  HTTP_DB=${DB}_http
  timeout 120 psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $HTTP_DB WITH (FORCE)" -c "CREATE DATABASE $HTTP_DB" >/dev/null 2>&1 \
    || die "could not create database $HTTP_DB"
  export PAYOUTS_PG_URL=${ADMIN_URL%/*}/$HTTP_DB
  SERVICE_ROLES=http start_service service-http.log
  TOKEN=$(timeout 120 java -jar "$JAR" token create --name bench-http 2>"$WORK/token.err") || die "token create failed: $(cat "$WORK/token.err")"
  export PAYOUTS_TOKEN=$TOKEN
  # Users with a big balance for the POST run; the fills spread their rows over them too.
  POST_USERS=
  for i in $(seq 1 "$WRK_POST_USERS"); do
    id=$(curl -sf --max-time 10 -XPOST "$API/api/users" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -d "{\"email\":\"wrk-$i-$$@example.com\",\"name\":\"wrk $i\"}" \
      | sed -n 's/^{"id":\([0-9]*\).*/\1/p') || true
    [ -n "$id" ] || die "could not create the users for the POST run"
    curl -sf --max-time 10 -o /dev/null -XPOST "$API/api/users/$id/credits" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -d '{"amount":"1000000000.00","reason":"wrk POST benchmark"}' \
      || die "could not credit user $id"
    POST_USERS=$POST_USERS${POST_USERS:+,}$id
  done

  # One 200-id batch approval at each table size, right after a bulk load (never analyzed), as an
  # admin's script meets it after an import: 30 approvals in a row, each timed by curl.
  APPROVAL_ROWS=()
  # approve_batch IDS [CURL OPTION...]: one batch approval of the comma-separated IDS.
  approve_batch() {
    local ids=$1
    shift
    curl -s -o /dev/null "$@" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -X POST "$API/api/payouts/batch" -d "{\"action\": \"approve\", \"ids\": [$ids]}"
  }
  # Untimed first: 50 approvals of ids that do not exist take the same route and statement, so the
  # freshly started JVM has compiled them before the timed ones.
  missing=$(seq -s, 900000001 900000200)
  for _ in $(seq 1 50); do approve_batch "$missing" || true; done
  for size in $APPROVAL_SIZES; do
    [ "$size" -le "$FILL_ROWS" ] || continue
    phase "approve-$size"
    timeout 1200 psql "$PAYOUTS_PG_URL" -q -v rows="$size" -f bench/fill-payouts.sql >/dev/null || die "the fill to $size failed"
    sql "SELECT id FROM payout_requests WHERE status = 'pending' ORDER BY random() LIMIT 6000" 300 >"$WORK/pending-$size.txt"
    if ! [ -s "$WORK/pending-$size.txt" ]; then
      APPROVAL_ROWS+=("| $size | no pending rows | | |")
      continue
    fi
    split -l 200 "$WORK/pending-$size.txt" "$WORK/approve-$size-"
    : >"$WORK/approve-times-$size.txt"
    for f in "$WORK"/approve-"$size"-*; do
      approve_batch "$(paste -sd, "$f")" -w '%{http_code} %{time_total}\n' >>"$WORK/approve-times-$size.txt"
    done
    rm -f "$WORK"/approve-"$size"-*
    codes=$(awk '$1 != 200' "$WORK/approve-times-$size.txt" | wc -l)
    read -r p50 p99 < <(awk '{print $2 * 1000}' "$WORK/approve-times-$size.txt" | sort -n \
      | awk '{a[NR] = $1} END {printf "%.1f %.1f\n", a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.99)]}')
    rows=$(sql "SELECT count(*) FROM payout_requests")
    APPROVAL_ROWS+=("| $rows | $p50 | $p99 | $codes |")
    say "200-id batch approval at $rows rows: p50 ${p50} ms, p99 ${p99} ms ($codes answers not 200)"
  done

fi

if [ "$FILL_ROWS" -gt 0 ] && [ "$HAVE_WRK" = yes ]; then
  phase fill
  say "filling payout_requests to $FILL_ROWS rows"
  started=$(date +%s)
  timeout 1200 psql "$PAYOUTS_PG_URL" -q -v rows="$FILL_ROWS" -f bench/fill-payouts.sql >/dev/null \
    || die "the fill failed"
  sql "VACUUM (ANALYZE) payout_requests" 900 || die "VACUUM ANALYZE failed"
  rows=$(sql "SELECT count(*) FROM payout_requests")
  fill_secs=$(($(date +%s) - started))
  HTTP_NOTES+=("payout_requests: $rows rows (filled and vacuum-analysed in ${fill_secs}s)")
  HTTP_NOTES+=("verify-ledger is NOT meaningful on this database after the fill: the filled rows have no ledger rows. The invariant checks above ran before it.")

  phase wrk-get
  GET_PATH="/api/payouts?status=pending&limit=50"
  code=$(curl -s --max-time 30 -o "$WORK/get-probe.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$API$GET_PATH" || true)
  if [ "$code" = 200 ]; then
    run_wrk "GET $GET_PATH" "$WORK/wrk-get.txt" bench/wrk-auth.lua "$API$GET_PATH"
    # Latency at a moderate load: with many connections on two cores, wrk's own queueing dominates.
    run_wrk "GET $GET_PATH" "$WORK/wrk-get-latency.txt" bench/wrk-auth.lua "$API$GET_PATH" "$WRK_LATENCY_CONNECTIONS"
  else
    HTTP_ROWS+=("| GET $GET_PATH | answered HTTP $code: not run | | | | |")
    say "GET $GET_PATH answered HTTP $code ($(head -c 300 "$WORK/get-probe.json")); skipping its wrk run"
  fi

  phase wrk-post
  export BENCH_USER_IDS=$POST_USERS
  run_wrk "POST /api/payouts" "$WORK/wrk-post.txt" bench/wrk-post-payouts.lua "$API/api/payouts"
elif [ "$FILL_ROWS" -gt 0 ]; then
  HTTP_NOTES+=("wrk runs skipped: wrk is not installed (apt-get install -y wrk)")
fi

phase stop
stop_service

# ---- report --------------------------------------------------------------------------------------
LOGS=("$WORK"/service*.log)
errors=$(cat "${LOGS[@]}" | grep -c ' ERROR ' || true)
warns=$(cat "${LOGS[@]}" | grep -c ' WARN ' || true)
load_rss=$(max_rss_mb "N=" prefix)
http_rss=$(max_rss_mb "wrk-" prefix)
n_of() { # the payouts/s of the row for size $1
  for r in "${ROWS[@]}"; do
    awk -F'|' -v n="$1" '$2 + 0 == n + 0 {gsub(/ /, "", $3); print $3}' <<<"$r"
  done
}
tp20=$(n_of 20000)
tp10=$(n_of 10000)
tp100=$(n_of 100000)
tp1m=$(n_of 1000000)
{
  echo
  echo "## Load runs: gateway delay 0, users=$USERS, concurrency=$CONCURRENCY, batch=$BATCH ($(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo
  echo "| N | payouts/s | p50 | p99 | max | completed | failed | unfinished | HTTP errors | invariants | wall s | max RSS MB |"
  echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|--:|--:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "- max service RSS through the load runs: ${load_rss} MB (target < 512 MB)"
  echo "- $VERIFY"
  if [ -n "$tp20" ]; then
    echo "- N=20,000: $tp20 payouts/s (target >= 8,000)"
  else
    echo "- N=20,000 target (>= 8,000 payouts/s): not run (add 20000 to BENCH_SIZES)"
  fi
  if [ -n "$tp10" ] && [ -n "$tp100" ]; then
    echo "- N=100,000 vs N=10,000: $(awk -v a="$tp100" -v b="$tp10" 'BEGIN {if (b > 0) printf "%+.1f %%", (a - b) * 100 / b; else print "-"}') (target within 10 %)"
  fi
  echo "- service logs: $errors ERROR and $warns WARN lines ($OUT/service*.log); $BLOCKED_ZERO_DELAY blocked-thread warnings at delay 0"
  printf -- '- %s\n' "${DASH_NOTES[@]}"
  if [ "${#INFLIGHT_ROWS[@]}" -gt 0 ]; then
    echo
    echo "## Many in flight: gateway delay $INFLIGHT_DELAY ms (runs: $INFLIGHT_RUNS, in flight per instance:N)"
    echo
    echo "| N | payouts/s | p50 | p99 | max | completed | failed | unfinished | HTTP errors | invariants | wall s | max RSS MB |"
    echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|--:|--:|"
    printf '%s\n' "${INFLIGHT_ROWS[@]}"
    echo
    printf -- '- %s\n' "${INFLIGHT_NOTES[@]}"
    echo "- blocked-thread warnings at delay 0: $BLOCKED_ZERO_DELAY"
  fi
  if [ -n "$OUTSIDE_LINE$PEER_LINE" ]; then
    outside_rate=$(field "$OUTSIDE_LINE" payouts/s)
    peer_rate=$(sed -nE 's/.*: ([0-9.]+) payouts\/s.*/\1/p' <<<"$PEER_LINE")
    echo
    echo "## The outside client and the peer, N=$PEER_N, gateway delay 0, same run"
    echo
    echo "| who | payouts/s | notes |"
    echo "|:--|--:|:--|"
    echo "| service, outside client (curl; sequential 200-id batch approvals) | ${outside_rate:--} | ${OUTSIDE_LINE:-no result} |"
    echo "| BullMQ + node-postgres peer, concurrency $PEER_CONCURRENCY | ${peer_rate:--} | ${PEER_LINE:-not run} |"
    if [ -n "$outside_rate" ] && [ -n "$peer_rate" ]; then
      RATIO=$(awk -v a="$outside_rate" -v b="$peer_rate" 'BEGIN {if (b > 0) printf "%.1f", a / b}')
      echo
      echo "- outside client ÷ peer: **${RATIO}×** (target >= 5)"
    fi
  fi
  if [ "${#APPROVAL_ROWS[@]}" -gt 0 ]; then
    echo
    echo "## One 200-id batch approval (http role only), right after a bulk load, 30 in a row"
    echo
    echo "| payout_requests rows | p50 ms | p99 ms | answers not 200 |"
    echo "|--:|--:|--:|--:|"
    printf '%s\n' "${APPROVAL_ROWS[@]}"
    echo
    echo "- target: p50 <= 15 ms at every size"
  fi
  echo
  echo "- machine load average at the start: $LOAD_START, at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
  if [ "$FILL_ROWS" -gt 0 ]; then
    echo
    echo "## HTTP: wrk -t$WRK_THREADS -d$WRK_DURATION --latency"
    echo
    echo "| request | req/s | p50 | p99 | non-2xx | socket errors |"
    echo "|:--|--:|--:|--:|--:|:--|"
    if [ "${#HTTP_ROWS[@]}" -gt 0 ]; then printf '%s\n' "${HTTP_ROWS[@]}"; fi
    echo
    echo "- GET /api/payouts p99 target < 25 ms; max service RSS during wrk: ${http_rss} MB"
    if [ "${#HTTP_NOTES[@]}" -gt 0 ]; then printf -- '- %s\n' "${HTTP_NOTES[@]}"; fi
    if [ "${#CPU_ROWS[@]}" -gt 0 ]; then
      echo
      echo "## Where the CPU went during each wrk run (share of both cores; kernel time is also inside each process's share)"
      echo
      echo "| request | service JVM | Postgres | Redis | everything else (wrk, ...) | kernel, all processes | idle |"
      echo "|:--|--:|--:|--:|--:|--:|--:|"
      printf '%s\n' "${CPU_ROWS[@]}"
    fi
    if [ "${#JFR_SECTIONS[@]}" -gt 0 ]; then
      echo
      echo "## The service's CPU samples during each wrk run"
      for section in "${JFR_SECTIONS[@]}"; do
        echo
        echo "$section"
      done
    fi
  fi
  # The issue's targets, each with what this run measured.
  wrk_figure() { # FILE: "req/s (p99 X)"
    [ -f "$1" ] || { echo "not run"; return; }
    echo "$(awk '/^Requests\/sec:/ {printf "%d", $2}' "$1") req/s, p99 $(awk '$1 == "99%" {print $2}' "$1")"
  }
  echo
  echo "## Against the targets (this run)"
  echo
  echo "| measure | measured | target |"
  echo "|:--|:--|:--|"
  echo "| outside client, serial 200-id batch approvals, N=$PEER_N, delay 0: ÷ the peer | $([ -n "${RATIO:-}" ] && echo "${RATIO}×" || echo "not run") | >= 5 |"
  for r in "${APPROVAL_ROWS[@]}"; do
    echo "| one 200-id batch approval, p50, at $(awk -F'|' '{gsub(/ /, "", $2); print $2}' <<<"$r") rows | $(awk -F'|' '{gsub(/ /, "", $3); print $3}' <<<"$r") ms | <= 15 ms |"
  done
  echo "| loadtest, N=20,000, delay 0 | ${tp20:-not run}/s | >= 8,000/s (stretch 10,000) |"
  if [ -n "$tp1m" ] && [ -n "$tp100" ]; then
    echo "| N=1,000,000 end to end vs N=100,000 | $tp1m/s vs $tp100/s ($(awk -v a="$tp1m" -v b="$tp100" 'BEGIN {printf "%+.1f %%", (a - b) * 100 / b}')); max RSS ${load_rss} MB | within 10 %; RSS < 512 MB |"
  else
    echo "| N=1,000,000 end to end | not run (add 1000000 to BENCH_SIZES) | within 10 % of N=100,000; RSS < 512 MB |"
  fi
  if [ "${#INFLIGHT_TARGET_ROWS[@]}" -gt 0 ]; then printf '%s\n' "${INFLIGHT_TARGET_ROWS[@]}"; fi
  echo "| POST /api/payouts, $WRK_CONNECTIONS connections | $(wrk_figure "$WORK/wrk-post.txt") | >= 5,000 req/s, p99 < 50 ms |"
  echo "| GET /api/payouts filter + first page over $FILL_ROWS rows, $WRK_CONNECTIONS connections | $(wrk_figure "$WORK/wrk-get.txt") | >= 5,000 req/s, p99 < 25 ms |"
} | tee "$WORK/results.md"
if [ "$errors" -gt 0 ]; then
  echo >&2
  say "first ERROR lines of the service logs:"
  grep -h ' ERROR ' "${LOGS[@]}" | head -5 >&2
fi
say "results and logs: $OUT/ (copied there on exit)"
