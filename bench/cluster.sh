#!/usr/bin/env bash
# Three service nodes clustered over Hazelcast on loopback, plus the mock gateway:
#   node1 --roles http,retry,stats   node2 --roles processor   node3 --roles processor
# N payouts (default 2000) are created and approved through node 1 while a dashboard socket on
# node 1 watches. When about a third are terminal node 2 is killed with kill -9; from half on,
# once node 2's leases have lapsed, node 3 gets SIGTERM and must exit leaving nothing in processing; node 4 (a processor)
# then finishes the rest. It checks: every payout terminal exactly once (the load client's
# invariants), verify-ledger clean, and that the watcher on node 1 saw transitions committed by
# node 2 and by node 3. Last line:
#   cluster: payouts=2000 unfinished=0 invariants=ok ledger=ok node2=612 node3=1011 left_in_processing=0 OK
#
#   bench/cluster.sh [--payouts N] [--keep]
#   bench/cluster.sh --throughput [--payouts N]   payouts/s with 1, 2 and 3 processor nodes
#
# Everything listens on 127.0.0.1 only: the machine's Postgres (PAYOUTS_PG_ADMIN_URL to override),
# an own redis-server, HTTP ports CLUSTER_PORT_BASE..+5 (default 19280) and Hazelcast on +10...
set -uo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
PAYOUTS="" KEEP=0 MODE=failover
while [ $# -gt 0 ]; do
  case "$1" in
    --payouts) PAYOUTS=${2:?--payouts needs a number}; shift 2 ;;
    --throughput) MODE=throughput; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
PAYOUTS=${PAYOUTS:-2000}
[[ "$PAYOUTS" =~ ^[0-9]+$ ]] && [ "$PAYOUTS" -ge 30 ] || { echo "--payouts needs a number >= 30" >&2; exit 2; }

BASE=${CLUSTER_PORT_BASE:-19280}
GW_PORT=$((BASE + 5)) REDIS_PORT=$((BASE + 6)) HZ_BASE=$((BASE + 10))
DB=payouts_cluster
ADMIN_URL=${PAYOUTS_PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
PG_URL=${ADMIN_URL%/*}/$DB
DIR=target/cluster
JAR=$DIR/payouts.jar
# Small JVMs: the machine may have two cores shared with everything else.
JOPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k)

export PAYOUTS_PG_URL=$PG_URL
export PAYOUTS_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export PAYOUTS_ADMIN_PASSWORD=cluster-run-password
export PAYOUTS_GATEWAY_URL=http://127.0.0.1:$GW_PORT PAYOUTS_GATEWAY_PORT=$GW_PORT PAYOUTS_GATEWAY_DELAY_MS=0
export PAYOUTS_GATEWAY_SEED=1 PAYOUTS_GATEWAY_TIMEOUT=5s PAYOUTS_LEASE=2s PAYOUTS_SHUTDOWN_GRACE=10s
# failed stays failed during the run: the retries would come after it
export PAYOUTS_RETRY_DELAYS=1h PAYOUTS_PROCESSOR_INSTANCES=1 PAYOUTS_PG_POOL_SIZE=4
# at most 100 payouts held per node: the work spreads over the processors, and a kill hits some
export PAYOUTS_PROCESSOR_CONCURRENCY=${CLUSTER_CONCURRENCY:-100}
export PAYOUTS_CLUSTER_HOST=127.0.0.1
export PAYOUTS_CLUSTER_MEMBERS=127.0.0.1:$HZ_BASE,127.0.0.1:$((HZ_BASE + 1)),127.0.0.1:$((HZ_BASE + 2)),127.0.0.1:$((HZ_BASE + 3))
unset PAYOUTS_HTTP_PORT PAYOUTS_CONFIG PAYOUTS_NODE_NAME PAYOUTS_CLUSTER_PORT

log() { echo "[cluster $(date +%T)] $*" >&2; }
sql() { psql "$PG_URL" -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
declare -A PID

start_node() { # start_node I ROLES
  PAYOUTS_HTTP_PORT=$((BASE + $1)) PAYOUTS_CLUSTER_PORT=$((HZ_BASE + $1 - 1)) PAYOUTS_NODE_NAME=node$1 \
    java "${JOPTS[@]}" -jar "$JAR" serve --cluster --roles "$2" >"$DIR/node$1.log" 2>&1 &
  PID[node$1]=$!
}
wait_health() { # wait_health PORT NAME
  for _ in $(seq 1 90); do
    curl -sf --max-time 2 "http://127.0.0.1:$1/health" >/dev/null && return 0
    kill -0 "${PID[$2]}" 2>/dev/null || { log "$2 died at start"; tail -20 "$DIR/$2.log" >&2; return 1; }
    sleep 1
  done
  log "$2 not healthy"; return 1
}
wait_members() { # wait_members N: node 1's Hazelcast lists N members
  for _ in $(seq 1 60); do
    grep -q "Members {size:$1," "$DIR/node1.log" && return 0
    sleep 1
  done
  log "node 1 never saw $1 members"; return 1
}
terminal() { sql "SELECT count(*) FROM payout_requests WHERE status IN ('completed', 'failed')"; }
stop_all() {
  for p in "${PID[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PID[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null
  done
  PID=()
}
cleanup() {
  trap - EXIT INT TERM
  stop_all
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null
  [ "$KEEP" = 1 ] || psql "$ADMIN_URL" -X -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

for tool in java psql redis-server redis-cli curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
mkdir -p "$DIR"
[ -f target/payouts.jar ] || mvn -B -q -o package -DskipTests || exit 1
cp target/payouts.jar "$JAR"

fresh() { # a fresh database and Redis, the gateway, an API token
  stop_all
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null && sleep 0.5
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$PWD/$DIR" \
    --logfile "$PWD/$DIR/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  psql "$ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" \
    >/dev/null || exit 1
  # token create migrates the new database first
  TOKEN=$(java "${JOPTS[@]}" -jar "$JAR" token create --name cluster 2>"$DIR/setup.log") \
    || { log "token create failed"; cat "$DIR/setup.log" >&2; exit 1; }
  # the gateway before the nodes: four JVMs starting at once on a small machine can time out its
  # first connections
  for attempt in 1 2 3; do
    java "${JOPTS[@]}" -jar "$JAR" gateway >"$DIR/gateway.log" 2>&1 &
    PID[gateway]=$!
    for _ in $(seq 1 60); do
      (exec 3<>"/dev/tcp/127.0.0.1/$GW_PORT") 2>/dev/null && return 0
      kill -0 "${PID[gateway]}" 2>/dev/null || break
      sleep 0.5
    done
    log "gateway did not start (attempt $attempt)"; tail -3 "$DIR/gateway.log" >&2
    kill -9 "${PID[gateway]}" 2>/dev/null
  done
  exit 1
}

loadtest() { # loadtest N LOG [OPTION...]: through node 1, with a dashboard socket on node 1
  local n=$1 out=$2; shift 2
  java "${JOPTS[@]}" -jar "$JAR" loadtest --url "http://127.0.0.1:$((BASE + 1))" --token "$TOKEN" --payouts "$n" \
    --users 20 --concurrency 16 --batch "${BATCH:-100}" "$@" --pg-url "$PG_URL" --dashboard-password "$PAYOUTS_ADMIN_PASSWORD" --timeout 150s \
    >"$out" 2>"$out.progress"
}

if [ "$MODE" = throughput ]; then
  # the service's own defaults: 2,000 payouts in flight per node, approvals in batches of 500
  export PAYOUTS_PROCESSOR_CONCURRENCY=${CLUSTER_CONCURRENCY:-2000}
  for n in 1 2 3; do
    fresh
    start_node 1 http,retry,stats
    wait_health $((BASE + 1)) node1 || exit 1
    for i in $(seq 2 $((n + 1))); do start_node "$i" processor; done
    for i in $(seq 2 $((n + 1))); do wait_health $((BASE + i)) "node$i" || exit 1; done
    wait_members $((n + 1)) || exit 1
    BATCH=500 loadtest "$PAYOUTS" "$DIR/throughput-$n.log"
    line=$(grep '^N=' "$DIR/throughput-$n.log")
    echo "processor nodes=$n $line"
  done
  exit 0
fi

# the gateway answers in 0.5-1.5 s here, so that two processors need several seconds for the run
# and both faults land before the last payout is terminal (with no delay the run can end first)
export PAYOUTS_GATEWAY_DELAY_MS=${CLUSTER_GATEWAY_DELAY_MS:-500-1500}
fresh
start_node 1 http,retry,stats
start_node 2 processor
start_node 3 processor
wait_health $((BASE + 1)) node1 && wait_health $((BASE + 2)) node2 && wait_health $((BASE + 3)) node3 || exit 1
wait_members 3 || exit 1
log "three nodes up; $PAYOUTS payouts through node 1"

# approved in small batches one after another, so that the work reaches the processors over
# several seconds and the faults land while there is work on both sides of them
BATCH=20 loadtest "$PAYOUTS" "$DIR/loadtest.log" --approve-concurrency 1 &
LOAD=$!
third=$((PAYOUTS / 3)) half=$((PAYOUTS / 2))
left=-1 killed=0 termed=0 killed_at=0
# node 3 stops only once node 2's leases have lapsed and been taken over, so that whatever is in
# processing when node 3 has exited can only be what node 3 left behind
LEASE_S=${PAYOUTS_LEASE%s}
for _ in $(seq 1 1500); do
  kill -0 "$LOAD" 2>/dev/null || break
  kill -0 "${PID[gateway]}" 2>/dev/null || { log "the gateway died"; tail -3 "$DIR/gateway.log" >&2; kill "$LOAD"; break; }
  done_n=$(terminal 2>/dev/null || echo 0)
  if [ "$killed" = 0 ] && [ "$done_n" -ge "$third" ]; then
    log "kill -9 node 2 at $done_n terminal"
    kill -9 "${PID[node2]}"; unset 'PID[node2]'; killed=1; killed_at=$SECONDS
  elif [ "$killed" = 1 ] && [ "$termed" = 0 ] && [ "$done_n" -ge "$half" ] \
      && [ $((SECONDS - killed_at)) -gt $((LEASE_S + 1)) ]; then
    log "SIGTERM node 3 at $done_n terminal"
    p=${PID[node3]}; kill -TERM "$p"; termed=1
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$p" 2>/dev/null; then log "node 3 did not exit within 30 s"; kill -9 "$p"; fi
    unset 'PID[node3]'
    left=$(sql "SELECT count(*) FROM payout_requests WHERE status = 'processing'")
    held=$(redis-cli -p "$REDIS_PORT" --raw EVAL "local n = 0
      for _, k in ipairs(redis.call('KEYS', '*inflight')) do n = n + redis.call('ZCARD', k) end
      return n" 0)
    log "node 3 exited: $left payouts in processing, $held jobs still leased"
    grep -ho "processor .* stopped after .*" "$DIR/node3.log" | sed 's/^/[node 3] /' >&2
    left=$((left + held))
    start_node 4 processor
  fi
  sleep 0.2
done
wait "$LOAD"
[ "$killed" = 1 ] || log "the load ended before node 2 was killed: raise --payouts or CLUSTER_GATEWAY_DELAY_MS"
[ "$killed" = 1 ] && [ "$termed" = 0 ] && log "the load ended before node 3 got SIGTERM: raise --payouts or CLUSTER_GATEWAY_DELAY_MS"
summary=$(grep '^N=' "$DIR/loadtest.log")
dash=$(grep '^dashboard:' "$DIR/loadtest.log" "$DIR/loadtest.log.progress" 2>/dev/null | head -1)
log "$summary"
log "$dash"
ledger=ok
java "${JOPTS[@]}" -jar "$JAR" verify-ledger >"$DIR/verify-ledger.log" 2>&1 || ledger=broken
n2=$(sed -nE 's/.*by node:.* node2=([0-9]+).*/\1/p' <<<"$dash"); n2=${n2:-0}
n3=$(sed -nE 's/.*by node:.* node3=([0-9]+).*/\1/p' <<<"$dash"); n3=${n3:-0}
unfinished=$(sed -nE 's/.*unfinished=([0-9]+).*/\1/p' <<<"$summary")
invariants=$(sed -nE 's/.*invariants=([a-z]+).*/\1/p' <<<"$summary")
verdict=OK
[ "${unfinished:-x}" = 0 ] && [ "$invariants" = ok ] && [ "$ledger" = ok ] && [ "$n2" -gt 0 ] && [ "$n3" -gt 0 ] \
  && [ "$killed" = 1 ] && [ "$termed" = 1 ] && [ "$left" = 0 ] || verdict=FAILED
echo "cluster: payouts=$PAYOUTS unfinished=${unfinished:-?} invariants=${invariants:-?} ledger=$ledger node2=$n2 node3=$n3 left_in_processing=$left $verdict"
[ "$verdict" = OK ] || { tail -5 "$DIR/verify-ledger.log" >&2; exit 1; }
