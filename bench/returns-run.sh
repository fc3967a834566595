#!/usr/bin/env bash
# Reproduces issue 17's "done when" for returns with the real jar: a service whose built-in gateway
# returns half of the paid payouts shortly after paying them, told by signed webhook (and found
# again by the poller of the gateway's event list). Then it checks, through the API and the
# command line: the returned payouts have their return rows, the balances are back, the users are
# switched off, verify-ledger and reconcile are clean, and a forged webhook changes nothing.
#
#   bench/returns-run.sh [USERS]        (default 20; builds target/payouts.jar when missing)
#
# Runs on a fresh data directory with the embedded Postgres and Redis unless PAYOUTS_PG_URL and
# PAYOUTS_REDIS_URL name others (then use an empty database). Ports: PAYOUTS_HTTP_PORT (default
# 18080) and PAYOUTS_GATEWAY_PORT (default 18081). Needs curl and jq. Exit 0 when everything held.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
USERS=${1:-20}
[ -f "$ROOT/target/payouts.jar" ] || (cd "$ROOT" && mvn -q package -DskipTests) || exit 1
command -v jq >/dev/null || { echo "returns-run: needs jq" >&2; exit 2; }
WORK=$(mktemp -d -t payouts-returns-XXXXXX)
cd "$WORK" || exit 1
export PAYOUTS_DATA_DIR=$WORK/data
export PAYOUTS_HTTP_PORT=${PAYOUTS_HTTP_PORT:-18080} PAYOUTS_GATEWAY_PORT=${PAYOUTS_GATEWAY_PORT:-18081}
export PAYOUTS_ADMIN_PASSWORD=returns-run-password
export PAYOUTS_GATEWAY_RETURN_RATE=0.5 PAYOUTS_GATEWAY_RETURN_DELAY=2s PAYOUTS_GATEWAY_EVENTS_POLL=1s
export PAYOUTS_GATEWAY_DELAY_MS=0 PAYOUTS_GATEWAY_SUCCESS_RATES=stripe_bank=1,paypal=1,check=1
JAR="java -jar $ROOT/target/payouts.jar"
API=http://127.0.0.1:$PAYOUTS_HTTP_PORT
FAILED=0
check() { if eval "$2"; then echo "ok    $1"; else echo "FAIL  $1"; FAILED=1; fi; }

$JAR > "$WORK/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null; wait $SERVE 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -sf "$API/health" >/dev/null && break; sleep 1; done
TOKEN=$($JAR token create --name returns-run 2>/dev/null)
H=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')

IDS=()
for i in $(seq 1 "$USERS"); do
  U=$(curl -s "${H[@]}" -X POST "$API/api/users" -d "{\"email\": \"r$i@example.com\", \"name\": \"R $i\"}" | jq .id)
  curl -s "${H[@]}" -X POST "$API/api/users/$U/credits" -d '{"amount": "100.00", "reason": "earnings"}' >/dev/null
  IDS+=("$(curl -s "${H[@]}" -X POST "$API/api/payouts" -d "{\"userId\": $U, \"amount\": \"40.00\", \"method\": \"stripe_bank\"}" | jq .id)")
done
curl -s "${H[@]}" -X POST "$API/api/payouts/batch" \
  -d "{\"action\": \"approve\", \"ids\": [$(IFS=,; echo "${IDS[*]}")]}" >/dev/null

count() { curl -s "${H[@]}" "$API/api/stats" | jq ".byStatus.$1.count"; }
# Everything paid, then the returns: wait until the returned count holds still for three delays.
for _ in $(seq 1 60); do [ "$(( $(count completed) + $(count returned) ))" = "$USERS" ] && break; sleep 1; done
LAST=-1; STILL=0
while [ $STILL -lt 6 ]; do
  N=$(count returned)
  if [ "$N" = "$LAST" ]; then STILL=$((STILL + 1)); else STILL=0; LAST=$N; fi
  sleep 1
done
RETURNED=$(count returned)
echo "payouts: $USERS, returned: $RETURNED, completed: $(count completed)"
check "about half returned" "[ $RETURNED -gt 0 ] && [ $RETURNED -lt $USERS ]"

BAD=0
for id in "${IDS[@]}"; do
  P=$(curl -s "${H[@]}" "$API/api/payouts/$id")
  U=$(curl -s "${H[@]}" "$API/api/users/$(echo "$P" | jq .userId)")
  if [ "$(echo "$P" | jq -r .status)" = returned ]; then
    [ "$(echo "$P" | jq -c '[.ledger[].kind]')" = '["hold","settle","return"]' ] || BAD=1
    [ "$(echo "$U" | jq -r .available)" = 100.00 ] && [ "$(echo "$U" | jq .eligible)" = false ] || BAD=1
  else
    [ "$(echo "$U" | jq -r .available)" = 60.00 ] && [ "$(echo "$U" | jq .eligible)" = true ] || BAD=1
  fi
done
check "returned payouts have hold, settle and return rows; their users have 100.00 back and are switched off" "[ $BAD = 0 ]"
check "GET /api/reconciliation is clean" "[ \"\$(curl -s \"\${H[@]}\" $API/api/reconciliation | jq .clean)\" = true ]"
check "verify-ledger exits 0" "$JAR verify-ledger >\"$WORK/verify.log\" 2>&1"
check "reconcile exits 0" "$JAR reconcile >\"$WORK/reconcile.log\" 2>&1"
check "the serve log names returns told by the gateway" "grep -q 'was returned by the bank' \"$WORK/serve.log\""

FIRST=${IDS[0]}
BEFORE=$(curl -s "${H[@]}" "$API/api/payouts/$FIRST" | jq -c '{status, ledger: [.ledger[].kind]}')
FORGED='{"id":"evt_forged","type":"payout.returned","data":{"payoutRef":"'$FIRST'","transactionId":"x","amount":"40.00","returnCode":"account_closed","returnedAt":"2026-12-01T00:00:00Z"}}'
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/api/gateway/events" -H 'Content-Type: application/json' \
  -H "Gateway-Signature: t=$(date +%s),v1=$(printf '%s' "$(date +%s).$FORGED" | openssl dgst -sha256 -hmac wrong-secret-0123456789 | sed 's/^.* //')" \
  -d "$FORGED")
AFTER=$(curl -s "${H[@]}" "$API/api/payouts/$FIRST" | jq -c '{status, ledger: [.ledger[].kind]}')
check "a forged webhook is refused with 401 and changes nothing" "[ $CODE = 401 ] && [ '$BEFORE' = '$AFTER' ]"
[ $FAILED = 0 ] && echo "returns-run: all held" || { echo "returns-run: FAILED (logs in $WORK)"; exit 1; }
