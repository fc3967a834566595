#!/usr/bin/env bash
# A plain outside client doing the job the way an admin's script does, with nothing but curl:
# create N payouts through the API, then approve them with POST /api/payouts/batch in batches of
# BATCH ids, one request after the other, and wait until none is approved or processing.
#
#   bench/outside-client.sh API_URL TOKEN N [BATCH=200] [USERS=100]
#
# Prints one line: N, payouts/s from the first approval to the last terminal state (seen by polling
# the public list every 100 ms), and the p50/p99/max of one batch approval as curl timed it.
set -euo pipefail
API=${1:?API URL}
TOKEN=${2:?token}
N=${3:?N}
BATCH=${4:-200}
USERS=${5:-100}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
auth=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
say() { echo "outside-client: $*" >&2; }

# Users with enough balance for their share.
per_user=$(( (N + USERS - 1) / USERS ))
users=()
for i in $(seq 1 "$USERS"); do
  id=$(curl -sf "${auth[@]}" -X POST "$API/api/users" \
    -d "{\"email\": \"outside-$$-$i@example.com\", \"name\": \"Outside $i\"}" | sed -E 's/^\{"id":([0-9]+).*/\1/')
  curl -sf -o /dev/null "${auth[@]}" -X POST "$API/api/users/$id/credits" \
    -d "{\"amount\": \"$((per_user * 20)).00\", \"reason\": \"outside client\"}"
  users+=("$id")
done

# N creates, 16 in flight, from one curl process (a config file of requests).
say "creating $N payouts"
methods=(stripe_bank paypal check)
for ((i = 0; i < N; i++)); do
  printf 'next\nurl = "%s/api/payouts"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "{\\"userId\\": %s, \\"amount\\": \\"%d.%02d\\", \\"method\\": \\"%s\\"}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
    "$API" "$TOKEN" "${users[$((i % USERS))]}" $((10 + i % 7)) $((i % 100)) "${methods[$((i % 3))]}"
done | tail -n +2 > "$WORK/creates.cfg"
curl -s --no-progress-meter --parallel --parallel-max 16 -K "$WORK/creates.cfg" > "$WORK/create-codes.txt"
created=$(grep -c '^201$' "$WORK/create-codes.txt" || true)
[ "$created" = "$N" ] || { say "only $created of $N creates answered 201: $(sort "$WORK/create-codes.txt" | uniq -c | tr '\n' ' ')"; exit 1; }

# The pending ids, read back page by page as a script would.
: > "$WORK/ids.txt"
cursor=
while :; do
  page=$(curl -sf "${auth[@]}" "$API/api/payouts?status=pending&sort=created&order=asc&limit=200${cursor:+&cursor=$cursor}")
  grep -o '"id":[0-9]*,"userId"' <<<"$page" | grep -o '[0-9]*' >> "$WORK/ids.txt"
  cursor=$(sed -nE 's/.*"nextCursor":"([^"]*)".*/\1/p' <<<"$page")
  [ -n "$cursor" ] || break
done
# Only this run's payouts: the newest N pending ones.
tail -n "$N" "$WORK/ids.txt" > "$WORK/mine.txt"

say "approving in batches of $BATCH, one after the other"
start=$(date +%s.%N)
: > "$WORK/batch-times.txt"
split -l "$BATCH" "$WORK/mine.txt" "$WORK/chunk-"
for f in "$WORK"/chunk-*; do
  ids=$(paste -sd, "$f")
  code=$(curl -s -o "$WORK/batch.json" -w '%{http_code} %{time_total}' "${auth[@]}" -X POST "$API/api/payouts/batch" \
    -d "{\"action\": \"approve\", \"ids\": [$ids]}")
  [ "${code%% *}" = 200 ] || { say "batch answered ${code%% *}: $(head -c 300 "$WORK/batch.json")"; exit 1; }
  echo "${code#* }" >> "$WORK/batch-times.txt"
done
approved_at=$(date +%s.%N)

open() { # how many of the service's payouts are approved or processing now
  local a p
  a=$(curl -sf "${auth[@]}" "$API/api/payouts?status=approved&limit=1" | grep -c '"id"' || true)
  p=$(curl -sf "${auth[@]}" "$API/api/payouts?status=processing&limit=1" | grep -c '"id"' || true)
  echo $((a + p))
}
deadline=$(( $(date +%s) + 600 ))
while [ "$(open)" != 0 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { say "payouts still open after 600 s"; exit 1; }
  sleep 0.1
done
done_at=$(date +%s.%N)
sort -n "$WORK/batch-times.txt" > "$WORK/sorted.txt"
count=$(wc -l < "$WORK/sorted.txt")
pct() { sed -n "$(( ($1 * count + 99) / 100 ))p" "$WORK/sorted.txt" | awk '{printf "%.1f", $1 * 1000}'; }
awk -v n="$N" -v s="$start" -v a="$approved_at" -v d="$done_at" -v p50="$(pct 50)" -v p99="$(pct 99)" \
  -v max="$(tail -1 "$WORK/sorted.txt" | awk '{printf "%.1f", $1 * 1000}')" -v b="$BATCH" \
  'BEGIN { printf "N=%d payouts/s=%d approve_s=%.1f drain_s=%.1f batch=%d batch_p50=%sms batch_p99=%sms batch_max=%sms\n",
           n, n / (d - s), a - s, d - a, b, p50, p99, max }'
