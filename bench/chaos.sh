#!/usr/bin/env bash
# Chaos run: two service processes (processors in both) and one mock gateway pay N payouts while
# a seeded schedule of faults hits them: kill -9 of a service or the gateway (restarted), SIGSTOP
# of a service past its lease (then SIGCONT: its late write must be refused), a Redis restart, a
# FLUSHDB, pg_terminate_backend of every connection, and, from the gateway itself, calls that hang
# past the timeout or lose their answer after executing, and calls refused before executing. Then
# it waits for quiet and checks the invariants. The last line:
#   seed=1 payouts=2000 faults=57 completed=1890 failed=110 duplicates=0 lost=0 mismatches=0
# faults: the scheduled ones (the gateway's own hangs, lost answers and 503s come on top, uncounted);
# duplicates: payouts paid more than once, or keys executed twice; lost: payouts missing or not in
# a terminal state; mismatches: the rows of every invariant verify-ledger finds broken, and the
# payouts it reports needing review. The exit status is non-zero when any of the three is not 0.
#
#   bench/chaos.sh [--seed N] [--payouts N] [--users N] [--duration S] [--short] [--keep]
#
# The same seed (and the same options) gives the same fault schedule and the same payouts.
# Everything talks to 127.0.0.1 only: the machine's Postgres (PAYOUTS_PG_ADMIN_URL to override),
# an own redis-server on its own port, and ports CHAOS_PORT_BASE..+3 (default 19180).
set -uo pipefail # not -e: half of what this script does is make things fail on purpose
cd "$(dirname "$0")/.."

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }

SEED=1 PAYOUTS="" USERS="" DURATION="" SHORT=0 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) SEED=${2:?--seed needs a number}; shift 2 ;;
    --payouts) PAYOUTS=${2:?--payouts needs a number}; shift 2 ;;
    --users) USERS=${2:?--users needs a number}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
    --short) SHORT=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in "$SEED" ${PAYOUTS:+"$PAYOUTS"} ${USERS:+"$USERS"} ${DURATION:+"$DURATION"}; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "not a whole number: $v" >&2; exit 2; }
done
if [ "$SHORT" = 1 ]; then
  PAYOUTS=${PAYOUTS:-200} USERS=${USERS:-5} DURATION=${DURATION:-28}
else
  PAYOUTS=${PAYOUTS:-2000} USERS=${USERS:-20} DURATION=${DURATION:-90}
fi
[ "$PAYOUTS" -ge 1 ] && [ "$USERS" -ge 1 ] && [ "$DURATION" -ge 5 ] || { echo "need payouts>=1, users>=1, duration>=5" >&2; exit 2; }

LEASE_S=3
QUIET_TIMEOUT=$(( SHORT ? 150 : 300 ))
# A hard ceiling for the whole run, whatever happens: setup, faults, quiet, checks.
RUN_LIMIT=$(( 600 + 6 * DURATION + QUIET_TIMEOUT + PAYOUTS / 10 ))

PORT_BASE=${CHAOS_PORT_BASE:-19180}
PORT_A=$PORT_BASE PORT_B=$((PORT_BASE + 1)) GW_PORT=$((PORT_BASE + 2)) REDIS_PORT=$((PORT_BASE + 3))
DB=payouts_chaos_$SEED
ADMIN_URL=${PAYOUTS_PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
PG_URL=${ADMIN_URL%/*}/$DB
DIR=target/chaos-$SEED
JAR=$DIR/payouts.jar
export PGCONNECT_TIMEOUT=5 PGOPTIONS='-c statement_timeout=30000'

# Settings every Java process shares; per-process ones are added where each starts.
export PAYOUTS_PG_URL=$PG_URL
export PAYOUTS_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export PAYOUTS_ADMIN_PASSWORD=chaos-run-password-$SEED
export PAYOUTS_GATEWAY_TIMEOUT=2s PAYOUTS_LEASE=${LEASE_S}s
export PAYOUTS_RETRY_DELAYS=1s,2s,3s PAYOUTS_RETRY_SWEEP_INTERVAL=2s
unset PAYOUTS_GATEWAY_URL PAYOUTS_HTTP_PORT PAYOUTS_GATEWAY_PORT PAYOUTS_CONFIG

# ---- a small seeded PRNG (an LCG; bash's own RANDOM differs between versions) -----------------
# Two streams: the fault schedule and the payouts, so changing --payouts keeps the schedule.
SCHED_STATE=$(( (SEED * 2654435761 + 12345) & 0x7fffffff ))
DATA_STATE=$(( (SEED * 40503 + 977) & 0x7fffffff ))
sched_rand() { # sched_rand N: REPLY in [0, N)
  SCHED_STATE=$(( (SCHED_STATE * 1103515245 + 12345) & 0x7fffffff ))
  REPLY=$(( (SCHED_STATE >> 8) % $1 ))
}
data_rand() {
  DATA_STATE=$(( (DATA_STATE * 1103515245 + 12345) & 0x7fffffff ))
  REPLY=$(( (DATA_STATE >> 8) % $1 ))
}

# ---- processes -----------------------------------------------------------------------------------
declare -A PID=() # service-a, service-b, gateway
APPROVER_PID="" WATCHDOG_PID=""
START_TS=$(date +%s)

log() { echo "[$(( $(date +%s) - START_TS ))s] $*"; }
sql() { psql "$PG_URL" -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }

start_java() { # start_java NAME COMMAND [VAR=value...]
  local name=$1 cmd=$2; shift 2
  env "$@" java -Xmx512m -jar "$JAR" "$cmd" >>"$DIR/$name.log" 2>&1 &
  PID[$name]=$!
}
start_service() { # start_service service-a|service-b
  local port=$PORT_A
  [ "$1" = service-b ] && port=$PORT_B
  start_java "$1" serve PAYOUTS_HTTP_PORT="$port" PAYOUTS_GATEWAY_URL="http://127.0.0.1:$GW_PORT"
}
start_gateway() {
  start_java gateway gateway PAYOUTS_GATEWAY_PORT="$GW_PORT" PAYOUTS_GATEWAY_DELAY_MS=50-400 \
    PAYOUTS_GATEWAY_SEED="$SEED" PAYOUTS_GATEWAY_HANG_RATE=0.03 PAYOUTS_GATEWAY_FAIL_RATE=0.03
}
start_named() { if [ "$1" = gateway ]; then start_gateway; else start_service "$1"; fi; }
port_of() { case "$1" in service-a) echo "$PORT_A" ;; service-b) echo "$PORT_B" ;; *) echo "$GW_PORT" ;; esac; }
# A start can fail on a loaded machine or while connections are being cut: start again, 3 times at most.
ensure_up() { # ensure_up NAME
  local attempt i
  for attempt in 1 2 3; do
    alive "$1" || start_named "$1"
    for ((i = 0; i < 360; i++)); do
      curl -sf --max-time 2 "http://127.0.0.1:$(port_of "$1")/health" >/dev/null && return 0
      alive "$1" || break
      sleep 0.25
    done
    log "$1 is not up (attempt $attempt); starting it again"
    kill9 "$1"
  done
  return 1
}
alive() { [ -n "${PID[$1]:-}" ] && ps -o stat= -p "${PID[$1]}" 2>/dev/null | grep -qv Z; }
stop_java() { # stop_java NAME: SIGTERM, and SIGKILL after 15 s
  local pid=${PID[$1]:-} i
  [ -n "$pid" ] || return 0
  kill -CONT "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  PID[$1]=""
}
kill9() { # kill9 NAME
  local pid=${PID[$1]:-}
  [ -n "$pid" ] || return 0
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  PID[$1]=""
}

redis_start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$PWD/$DIR/redis.pid" --logfile "$PWD/$DIR/redis.log" --dir "$PWD/$DIR" >/dev/null
  local i
  for ((i = 0; i < 40; i++)); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}
redis_stop() {
  local pid i
  pid=$(cat "$DIR/redis.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$DIR/redis.pid"
}

cleanup() {
  trap - EXIT INT TERM
  [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null
  if [ -n "$APPROVER_PID" ]; then kill "$APPROVER_PID" 2>/dev/null; wait "$APPROVER_PID" 2>/dev/null; fi
  local n
  for n in service-a service-b gateway; do stop_java "$n"; done
  redis_stop
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# ---- setup ---------------------------------------------------------------------------------------
for tool in java psql redis-server redis-cli curl xargs awk; do
  command -v "$tool" >/dev/null || { echo "chaos.sh needs $tool" >&2; exit 1; }
done
mkdir -p "$DIR"
rm -f "$DIR"/*.log "$DIR"/*.txt
# Our own copy of the jar: a rebuild of target/payouts.jar during the run must not change what the
# restarts run. A jar being written right now is waited for (it must stay the same for 2 s).
copy_jar() {
  local i size=""
  for ((i = 0; i < 120; i++)); do
    if [ -f target/payouts.jar ]; then
      [ "$(stat -c %s target/payouts.jar)" = "$size" ] && break
      size=$(stat -c %s target/payouts.jar)
    fi
    sleep 2
  done
  [ -f target/payouts.jar ] || mvn -q -B package -DskipTests || return 1
  cp target/payouts.jar "$JAR" && java -jar "$JAR" --help >/dev/null 2>&1
}
copy_jar || copy_jar || { echo "no usable target/payouts.jar (mvn -q -B package -DskipTests)" >&2; exit 1; }
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  sleep "$RUN_LIMIT" & nap=$!
  wait "$nap" && { echo "chaos: run limit of ${RUN_LIMIT}s reached, stopping" >&2; kill -TERM $$; }
) &
WATCHDOG_PID=$!

log "seed=$SEED payouts=$PAYOUTS users=$USERS duration=${DURATION}s lease=${LEASE_S}s logs in $DIR"
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && { echo "port $REDIS_PORT is taken (another chaos run?)" >&2; exit 1; }
redis_start || { echo "redis-server did not start; see $DIR/redis.log" >&2; exit 1; }
psql "$ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" \
  >/dev/null || exit 1
java -jar "$JAR" migrate >>"$DIR/setup.log" 2>&1 || { echo "migrate failed; see $DIR/setup.log" >&2; exit 1; }
TOKEN=$(java -jar "$JAR" token create --name chaos 2>>"$DIR/setup.log") || { echo "token create failed" >&2; exit 1; }
for n in gateway service-a service-b; do start_named "$n"; done
for n in gateway service-a service-b; do
  ensure_up "$n" || { echo "$n did not start; see $DIR/$n.log" >&2; exit 1; }
done
log "started: redis :$REDIS_PORT, gateway :$GW_PORT, service-a :$PORT_A, service-b :$PORT_B"

AUTH="Authorization: Bearer $TOKEN"
api() { # api PORT METHOD PATH [BODY]: prints the body, fails on a non-2xx
  curl -sf --max-time 5 -X "$2" -H "$AUTH" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$1$3" ${4:+-d "$4"}
}

USER_IDS=()
for ((u = 1; u <= USERS; u++)); do
  api "$PORT_A" POST /api/users "{\"email\":\"chaos-$SEED-$u@example.com\",\"name\":\"Chaos $u\"}" >/dev/null
  id=$(sql "SELECT id FROM users WHERE email = 'chaos-$SEED-$u@example.com'")
  [[ "$id" =~ ^[0-9]+$ ]] || { echo "could not create user $u" >&2; exit 1; }
  api "$PORT_A" POST "/api/users/$id/credits" '{"amount":"1000000.00","reason":"chaos earnings"}' >/dev/null \
    || { echo "could not credit user $id" >&2; exit 1; }
  USER_IDS+=("$id")
done

# Payouts through service A, 8 at a time; each has an Idempotency-Key so a retried create is safe.
methods=(stripe_bank paypal check) priorities=(urgent high normal normal low)
make_requests() { # make_requests FIRST LAST: a curl config for payouts FIRST..LAST
  local i u amount
  for ((i = 1; i <= PAYOUTS; i++)); do
    data_rand "$USERS"; u=${USER_IDS[$REPLY]}
    data_rand 49000; amount=$(( 1000 + REPLY ))
    data_rand 3; local m=${methods[$REPLY]}
    data_rand 5; local p=${priorities[$REPLY]}
    ((i < $1 || i > $2)) && continue
    printf 'url = "http://127.0.0.1:%s/api/payouts"\nheader = "%s"\nheader = "Content-Type: application/json"\n' "$PORT_A" "$AUTH"
    printf 'header = "Idempotency-Key: chaos-%s-%s"\n' "$SEED" "$i"
    printf 'data = "{\\"userId\\":%s,\\"amount\\":\\"%s.%02d\\",\\"method\\":\\"%s\\",\\"priority\\":\\"%s\\"}"\n' \
      "$u" $((amount / 100)) $((amount % 100)) "$m" "$p"
    printf 'output = "/dev/null"\nmax-time = 30\nwrite-out = "%%{http_code}\\n"\n'
    ((i < $2)) && echo next
  done
}
created=0
for attempt in 1 2 3; do
  DATA_STATE=$(( (SEED * 40503 + 977) & 0x7fffffff ))
  make_requests 1 "$PAYOUTS" >"$DIR/create.curl"
  codes=$(curl -s --no-progress-meter --parallel --parallel-max 8 -K "$DIR/create.curl")
  # The run's database holds its payouts only: one per key, or a retried create paid twice.
  created=$(sql "SELECT count(*) FROM payout_requests")
  [ "$created" -ge "$PAYOUTS" ] && break
  log "created $created of $PAYOUTS (answers: $(sort <<<"$codes" | uniq -c | tr -s ' \n' ' ')); sending again"
done
[ "$created" = "$PAYOUTS" ] || { echo "created $created payouts for $PAYOUTS keys" >&2; exit 1; }
sql "SELECT id FROM payout_requests WHERE status = 'pending' ORDER BY id" >"$DIR/ids.txt"
log "created $USERS users and $created payouts"

# ---- the fault schedule --------------------------------------------------------------------------
# Every kind once (in a seeded order), then weighted draws, until the duration is used up.
KINDS=(kill-a kill-b stop-a stop-b redis-restart flushdb pg-terminate kill-gateway)
WEIGHTS=(3 3 2 2 1 1 2 1)
F_T=() F_KIND=() F_ARG=()
order=("${KINDS[@]}")
for ((i = ${#order[@]} - 1; i > 0; i--)); do
  sched_rand $((i + 1)); tmp=${order[$i]}; order[$i]=${order[$REPLY]}; order[$REPLY]=$tmp
done
total_weight=0
for w in "${WEIGHTS[@]}"; do total_weight=$((total_weight + w)); done
t=2 k=0
while [ "$t" -lt "$DURATION" ]; do
  if [ "$k" -lt "${#order[@]}" ]; then
    kind=${order[$k]}
  else
    sched_rand "$total_weight"; r=$REPLY
    for ((j = 0; j < ${#KINDS[@]}; j++)); do
      r=$((r - WEIGHTS[j])); [ "$r" -lt 0 ] && { kind=${KINDS[$j]}; break; }
    done
  fi
  case "$kind" in
    kill-*) sched_rand 2; arg=$((1 + REPLY)) ;;   # seconds down before the restart
    stop-*) arg=$((LEASE_S + 2)) ;;               # seconds stopped: past the lease
    redis-restart) arg=1 ;;                       # seconds down
    *) arg=0 ;;
  esac
  F_T+=("$t") F_KIND+=("$kind") F_ARG+=("$arg")
  k=$((k + 1))
  sched_rand $(( SHORT ? 2 : 3 )); t=$((t + arg + 1 + REPLY))
done
FAULTS=${#F_T[@]}
schedule=""
for ((i = 0; i < FAULTS; i++)); do schedule+=" ${F_T[$i]}s:${F_KIND[$i]}"; done
log "schedule ($FAULTS faults):$schedule"

describe() { # the printed name of a fault
  case "$1" in
    kill-a) echo "kill -9 service-a (restart after ${2}s)" ;;
    kill-b) echo "kill -9 service-b (restart after ${2}s)" ;;
    kill-gateway) echo "kill -9 gateway (restart after ${2}s)" ;;
    stop-a) echo "SIGSTOP service-a for ${2}s, then SIGCONT" ;;
    stop-b) echo "SIGSTOP service-b for ${2}s, then SIGCONT" ;;
    redis-restart) echo "redis restart (down ${2}s)" ;;
    flushdb) echo "redis FLUSHDB" ;;
    pg-terminate) echo "pg_terminate_backend of every connection to $DB" ;;
  esac
}
name_of() { case "$1" in *-a) echo service-a ;; *-b) echo service-b ;; *) echo gateway ;; esac; }

inject() { # inject KIND ARG
  local n
  case "$1" in
    kill-*)
      n=$(name_of "$1")
      kill9 "$n"; sleep "$2"
      start_named "$n" ;;
    stop-*)
      n=$(name_of "$1")
      if alive "$n"; then kill -STOP "${PID[$n]}"; sleep "$2"; kill -CONT "${PID[$n]}" 2>/dev/null
      else log "  ($n is not running: nothing to stop)"; fi ;;
    redis-restart) redis_stop; sleep "$2"; redis_start || log "  redis did not come back" ;;
    flushdb) redis-cli -p "$REDIS_PORT" flushdb >/dev/null 2>&1 || log "  FLUSHDB failed" ;;
    pg-terminate)
      n=$(sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
               WHERE datname = '$DB' AND pid <> pg_backend_pid()") || n="?"
      log "  terminated $n connections" ;;
  esac
}

# ---- approvals (in the background), alternating A and B, spread over the fault window ------------
BATCH=$(( PAYOUTS / 40 )); [ "$BATCH" -lt 10 ] && BATCH=10; [ "$BATCH" -gt 1000 ] && BATCH=1000
approve_batch() { # approve_batch FIRST_PORT OTHER_PORT IDS DEADLINE: alternates between both until the deadline
  local ports=("$1" "$2") k=0
  while [ "$(date +%s)" -lt "$4" ]; do
    api "${ports[$((k % 2))]}" POST /api/payouts/batch "{\"action\":\"approve\",\"ids\":[$3]}" >/dev/null && return 0
    k=$((k + 1))
    sleep 0.5
  done
  return 1
}
APPROVE_DEADLINE=$(( $(date +%s) + 4 * DURATION + 300 ))
approver() {
  local batches n=0 pause
  batches=$(( (PAYOUTS + BATCH - 1) / BATCH ))
  pause=$(awk -v d="$DURATION" -v b="$batches" 'BEGIN { p = (d * 0.8) / b; if (p > 3) p = 3; printf "%.2f", p }')
  while read -r ids; do
    if (( n % 2 == 0 )); then approve_batch "$PORT_A" "$PORT_B" "$ids" "$APPROVE_DEADLINE"
    else approve_batch "$PORT_B" "$PORT_A" "$ids" "$APPROVE_DEADLINE"; fi || echo "approver: batch $n not sent" >&2
    n=$((n + 1))
    sleep "$pause"
  done < <(xargs -n "$BATCH" <"$DIR/ids.txt" | tr ' ' ',')
}
approver >>"$DIR/approver.log" 2>&1 &
APPROVER_PID=$!

# ---- the faults ----------------------------------------------------------------------------------
T0=$(date +%s)
for ((i = 0; i < FAULTS; i++)); do
  wait_until=$((T0 + F_T[i]))
  while [ "$(date +%s)" -lt "$wait_until" ]; do sleep 0.2; done
  # Each fault hits a working system: whatever is down (a restart still starting, or one that died
  # at start) is brought up first. On a slow machine this stretches the timeline, not the schedule.
  for n in gateway service-a service-b; do
    alive "$n" || log "$n exited by itself (see $DIR/$n.log); starting it again"
    ensure_up "$n" || log "$n does not come up; see $DIR/$n.log"
  done
  late=$(( $(date +%s) - wait_until ))
  if [ "$late" -gt 1 ]; then
    log "(${late}s late: waited for every process to be up; the rest of the schedule moves with it)"
    T0=$((T0 + late))
  fi
  echo "t=${F_T[$i]}s fault=$(describe "${F_KIND[$i]}" "${F_ARG[$i]}")"
  inject "${F_KIND[$i]}" "${F_ARG[$i]}"
done
log "faults done; waiting for the approvals to finish"
while [ "$(date +%s)" -le $((APPROVE_DEADLINE + 10)) ]; do kill -0 "$APPROVER_PID" 2>/dev/null || break; sleep 0.5; done
kill "$APPROVER_PID" 2>/dev/null; wait "$APPROVER_PID" 2>/dev/null; APPROVER_PID=""

# Everything back up (a restart that died at once, e.g. while Postgres connections were cut, is retried).
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || redis_start
for n in gateway service-a service-b; do ensure_up "$n" || log "$n does not come up; see $DIR/$n.log"; done

# ---- quiet ---------------------------------------------------------------------------------------
OPEN_SQL="SELECT count(*) FILTER (WHERE status = 'pending'),
                 count(*) FILTER (WHERE status IN ('approved', 'processing') OR (status = 'failed' AND holds_funds))
          FROM payout_requests"
quiet_start=$(date +%s) last=""
while true; do
  IFS='|' read -r pending open < <(sql "$OPEN_SQL" 2>/dev/null || echo "?|?")
  if [ "$pending" != "?" ] && [ "$pending" -gt 0 ]; then
    # Approvals that never got through: send them again (the system must finish them all).
    ids=$(sql "SELECT string_agg(id::text, ',') FROM (SELECT id FROM payout_requests WHERE status = 'pending' ORDER BY id LIMIT 1000) p")
    log "approving $pending payouts still pending"
    approve_batch "$PORT_A" "$PORT_B" "$ids" $(( $(date +%s) + 15 )) || true
  fi
  [ "$pending" = 0 ] && [ "$open" = 0 ] && break
  [ "$open" != "$last" ] && { log "waiting for quiet: $open payouts approved, processing or due a retry"; last=$open; }
  if [ $(( $(date +%s) - quiet_start )) -ge "$QUIET_TIMEOUT" ]; then
    log "NOT QUIET after ${QUIET_TIMEOUT}s; open payouts (id:status:version:since): $(sql "
      SELECT string_agg(id || ':' || status || ':' || version || ':' || to_char(updated_at, 'HH24:MI:SS'), ' ')
      FROM (SELECT * FROM payout_requests WHERE status IN ('pending', 'approved', 'processing')
              OR (status = 'failed' AND holds_funds) ORDER BY id LIMIT 20) o")"
    break
  fi
  sleep 1
done
log "after $(( $(date +%s) - quiet_start ))s of waiting: $(sql "SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM payout_requests GROUP BY 1 ORDER BY 1) s")"

for n in service-a service-b gateway; do stop_java "$n"; done

# ---- the checks ----------------------------------------------------------------------------------
java -jar "$JAR" verify-ledger >"$DIR/verify.txt" 2>&1
verify_rc=$?
mismatches=$(awk '/^(BROKEN|NEEDS REVIEW): / { gsub(/[()]/, "", $(NF-1)); s += $(NF-1) } END { print s + 0 }' "$DIR/verify.txt")
if [ "$verify_rc" -ne 0 ] && [ "$mismatches" = 0 ]; then
  log "verify-ledger failed to run (exit $verify_rc); see $DIR/verify.txt"; mismatches=1
fi
grep -E '^(BROKEN|NEEDS REVIEW)' "$DIR/verify.txt"
IFS='|' read -r completed failed rejected present open < <(sql "
  SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed' AND NOT holds_funds),
         count(*) FILTER (WHERE status = 'rejected'), count(*),
         count(*) FILTER (WHERE status NOT IN ('completed', 'rejected') AND NOT (status = 'failed' AND NOT holds_funds))
  FROM payout_requests")
lost=$(( created - present + open ))
IFS='|' read -r paid_twice keys_twice executions < <(sql "
  SELECT (SELECT count(*) FROM (SELECT payout_ref FROM gateway.executions WHERE status = 'succeeded'
                                GROUP BY payout_ref HAVING count(*) > 1) d),
         (SELECT count(*) FROM (SELECT idempotency_key FROM gateway.executions GROUP BY 1 HAVING count(*) > 1) k),
         (SELECT count(*) FROM gateway.executions)")
duplicates=$(( paid_twice + keys_twice ))
unknown=$(cat "$DIR"/service-?.log | grep -c 'outcome unknown at the gateway')
log "gateway executions=$executions; outcomes a service did not learn at once (logged)=$unknown; rejected=$rejected"
log "faults: $FAULTS scheduled ($(printf '%s\n' "${F_KIND[@]}" | sort | uniq -c | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1 }')), plus the gateway's hangs, lost answers and 503s"

ok=$(( duplicates == 0 && lost == 0 && mismatches == 0 ))
if [ "$ok" = 1 ] && [ "$KEEP" = 0 ]; then
  psql "$ADMIN_URL" -X -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
else
  log "database $DB kept for inspection; logs in $DIR"
fi
echo "seed=$SEED payouts=$PAYOUTS faults=$FAULTS completed=$completed failed=$failed duplicates=$duplicates lost=$lost mismatches=$mismatches"
[ "$ok" = 1 ]
