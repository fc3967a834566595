#!/usr/bin/env bash
# The CSV export at 1,000,000 rows with a flat heap: fills a fresh database to ROWS payouts
# (bench/fill-payouts.sql), starts the service with a small heap (-Xmx128m: the CSV alone is far
# larger, so a buffered export could not finish), streams GET /api/payouts/export.csv to /dev/null
# while sampling the service's used heap (jstat) every half second, and reports rows, bytes,
# seconds and the heap before and during the export.
#
#   bench/export-csv.sh [ROWS]     (default 1000000; writes target/bench/export-csv.txt)
#
# Needs java (with jstat), psql, curl and a Postgres at ADMIN_URL (default the machine's,
# postgres://postgres@127.0.0.1:5432/postgres) and a Redis (BENCH_REDIS_URL, default db 6 on
# 127.0.0.1:6379). The database payouts_export_bench is dropped and created again (BENCH_KEEP_DB=1
# keeps the one an earlier run filled).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
ROWS=${1:-1000000}
ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB=payouts_export_bench
PORT=${BENCH_PORT:-18090}
HEAP=${BENCH_HEAP:-128m}
OUT=target/bench
mkdir -p "$OUT"
export PAYOUTS_PG_URL=${ADMIN_URL%/*}/$DB
export PAYOUTS_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/6}
export PAYOUTS_HTTP_PORT=$PORT PAYOUTS_GATEWAY_PORT=$((PORT + 1)) PAYOUTS_ADMIN_PASSWORD=bench-admin-password
unset PAYOUTS_GATEWAY_URL PAYOUTS_CONFIG
say() { echo "export-csv: $*" >&2; }
[ -f target/payouts.jar ] || mvn -q -B package -DskipTests || exit 1
JAR=$(mktemp -t payouts-export-XXXXXX.jar)
cp target/payouts.jar "$JAR"

if [ -z "${BENCH_KEEP_DB:-}" ]; then
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null || exit 1
  java -jar "$JAR" migrate >/dev/null 2>&1 || { say "migrate failed"; exit 1; }
  java -jar "$JAR" seed >/dev/null 2>&1 || { say "seed failed"; exit 1; }
fi
say "filling to $ROWS payouts"
T0=$(date +%s)
psql "$PAYOUTS_PG_URL" -q -v rows="$ROWS" -f bench/fill-payouts.sql >/dev/null || { say "fill failed"; exit 1; }
psql "$PAYOUTS_PG_URL" -qc "VACUUM ANALYZE payout_requests" >/dev/null
say "filled in $(( $(date +%s) - T0 )) s"

# shellcheck disable=SC2086
java -Xmx$HEAP -jar "$JAR" serve --roles http >"$OUT/export-serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$JAR"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
TOKEN=$(java -jar "$JAR" token create --name export-bench 2>/dev/null)
used() { jstat -gc "$PID" 2>/dev/null | awk 'NR == 2 {printf "%.1f", ($3 + $4 + $6 + $8) / 1024}'; }
BEFORE=$(used)

SAMPLES=$OUT/export-heap.txt
: >"$SAMPLES"
( while kill -0 "$PID" 2>/dev/null; do used >>"$SAMPLES"; echo >>"$SAMPLES"; sleep 0.5; done ) &
SAMPLER=$!
STATS=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' \
  -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/payouts/export.csv")
kill $SAMPLER 2>/dev/null
read -r CODE BYTES ELAPSED <<<"$STATS"
LINES=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/payouts/export.csv?status=rejected" | wc -l)
TOTAL=$(psql "$PAYOUTS_PG_URL" -Atqc "SELECT count(*) FROM payout_requests")
REJECTED=$(psql "$PAYOUTS_PG_URL" -Atqc "SELECT count(*) FROM payout_requests WHERE status = 'rejected'")
HEAP_RANGE=$(grep -v '^$' "$SAMPLES" | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {printf "%s to %s MB", min, max}')
{
  echo "CSV export of $TOTAL payouts (GET /api/payouts/export.csv, service at -Xmx$HEAP)"
  echo "  HTTP $CODE, $BYTES bytes ($(awk -v b="$BYTES" 'BEGIN {printf "%.0f", b / 1048576}') MB) in $ELAPSED s" \
       "($(awk -v n="$TOTAL" -v s="$ELAPSED" 'BEGIN {printf "%.0f", n / s}') rows/s)"
  echo "  used heap before: $BEFORE MB; during the export (every 0.5 s): $HEAP_RANGE"
  echo "  filtered export ?status=rejected: $((LINES - 1)) rows (the database has $REJECTED)"
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
} | tee "$OUT/export-csv.txt"
[ "$CODE" = 200 ] && [ $((LINES - 1)) = "$REJECTED" ]
