#!/usr/bin/env bash
# kill -9 the service while payouts are in flight, restart it, and check that every payout ends in
# exactly one terminal state, the gateway executed each key at most once, and the ledger holds.
# Needs the machine's Postgres and Redis (PAYOUTS_PG_ADMIN_URL / PAYOUTS_REDIS_URL to override).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-500}
PORT=${PORT:-18480}
GW_PORT=${GW_PORT:-18481}
DB=payouts_crash
ADMIN_URL=${PAYOUTS_PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
export PAYOUTS_PG_URL=${ADMIN_URL%/*}/$DB
export PAYOUTS_REDIS_URL=${PAYOUTS_REDIS_URL:-redis://127.0.0.1:6379/3}
export PAYOUTS_HTTP_PORT=$PORT PAYOUTS_GATEWAY_PORT=$GW_PORT
export PAYOUTS_GATEWAY_DELAY_MS=${PAYOUTS_GATEWAY_DELAY_MS:-3000-10000}
export PAYOUTS_LEASE=${PAYOUTS_LEASE:-10s} PAYOUTS_GATEWAY_TIMEOUT=${PAYOUTS_GATEWAY_TIMEOUT:-15s}
export PAYOUTS_ADMIN_PASSWORD=${PAYOUTS_ADMIN_PASSWORD:-crash-test-password}
API=http://127.0.0.1:$PORT
LOG=target/crash-recovery.log

[ -f target/payouts.jar ] || mvn -q -B package -DskipTests
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
redis-cli -u "$PAYOUTS_REDIS_URL" flushdb >/dev/null

start_service() {
  java -jar target/payouts.jar serve >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -sf "$API/health" >/dev/null && return 0; sleep 0.5; done
  echo "service did not start; see $LOG" >&2
  exit 1
}
sql() { psql "$PAYOUTS_PG_URL" -Atc "$1"; }
auth=()

: >"$LOG"
start_service
TOKEN=$(java -jar target/payouts.jar token create --name crash 2>/dev/null || true)
[ -n "$TOKEN" ] && auth=(-H "Authorization: Bearer $TOKEN")
curl -sf "${auth[@]}" -XPOST "$API/api/users" -H 'Content-Type: application/json' \
  -d '{"email":"crash@example.com","name":"Crash Test"}' >/dev/null
USER_ID=$(sql "SELECT id FROM users WHERE email = 'crash@example.com'")
curl -sf "${auth[@]}" -XPOST "$API/api/users/$USER_ID/credits" -H 'Content-Type: application/json' \
  -d '{"amount":"1000000.00","reason":"crash test"}' >/dev/null
methods=(stripe_bank paypal check)
for i in $(seq 1 "$N"); do
  curl -sf "${auth[@]}" -XPOST "$API/api/payouts" -H 'Content-Type: application/json' \
    -d "{\"userId\":$USER_ID,\"amount\":\"$((20 + i % 200)).00\",\"method\":\"${methods[$((i % 3))]}\"}" >/dev/null
done
IDS=$(sql "SELECT string_agg(id::text, ',') FROM payout_requests WHERE status = 'pending'")
curl -sf "${auth[@]}" -XPOST "$API/api/payouts/batch" -H 'Content-Type: application/json' \
  -d "{\"action\":\"approve\",\"ids\":[$IDS]}" >/dev/null
sleep 2
echo "before kill: $(sql "SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM payout_requests GROUP BY 1 ORDER BY 1) s")"
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
echo "killed -9; gateway had executed $(sql 'SELECT count(*) FROM gateway.executions') payments; restarting"
START=$(date +%s)
start_service
while true; do
  open=$(sql "SELECT count(*) FROM payout_requests WHERE status IN ('approved', 'processing')")
  [ "$open" = 0 ] && break
  if [ $(( $(date +%s) - START )) -gt 180 ]; then echo "still $open open after 180 s" >&2; break; fi
  sleep 1
done
kill "$PID"; wait "$PID" 2>/dev/null || true
echo "after restart ($(( $(date +%s) - START )) s): $(sql "SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM payout_requests GROUP BY 1 ORDER BY 1) s")"
echo "gateway executions: $(sql 'SELECT count(*) FROM gateway.executions'), keys executed twice: $(sql 'SELECT count(*) FROM (SELECT idempotency_key FROM gateway.executions GROUP BY 1 HAVING count(*) > 1) d'), payouts paid twice: $(sql "SELECT count(*) FROM (SELECT payout_ref FROM gateway.executions WHERE status = 'succeeded' GROUP BY 1 HAVING count(*) > 1) d")"
java -jar target/payouts.jar verify-ledger 2>/dev/null
