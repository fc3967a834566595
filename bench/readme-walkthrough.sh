#!/usr/bin/env bash
# Runs README.md's walkthrough exactly as a newcomer pastes it, and checks every answer.
#
#   bench/readme-walkthrough.sh            (CI runs it after the tests)
#
# The README's shell blocks that follow a `<!-- walkthrough -->` line are run in order, in one bash
# session, in a fresh directory whose only content is a link to this checkout's target/ (so the
# service starts on a fresh data directory with nothing configured: the embedded default). As root
# it runs inside a network namespace of its own, whose loopback has no Postgres, no Redis and no
# other service: every port the README names is free and nothing configured can leak in.
#
# Expectations are comment lines right after a command:
#   # → 201 {"status": "pending", "amount": "25.00"}   the last curl answered 201 and its JSON body
#                                                     holds these fields ("…" means any value)
#   # → "ledger OK"                                   the command printed this text
# Every command must also exit 0 (except those sent to the background with &).
#
#   WALKTHROUGH_MARKER=walkthrough:approval-policy bench/readme-walkthrough.sh
# runs instead the blocks after `<!-- walkthrough:approval-policy -->` lines (another walkthrough of
# its own, on its own fresh directory and service, e.g. one that starts the service configured).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
README=$ROOT/README.md
TIMEOUT=${WALKTHROUGH_TIMEOUT:-600}
export WALKTHROUGH_MARKER=${WALKTHROUGH_MARKER:-walkthrough}

if [ "${1:-}" != "--inside" ]; then
  [ -f "$ROOT/target/payouts.jar" ] || (cd "$ROOT" && mvn -q package -DskipTests) || exit 1
  command -v jq >/dev/null || { echo "readme-walkthrough: needs jq" >&2; exit 2; }
  if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && [ -z "${WALKTHROUGH_NO_NETNS:-}" ]; then
    NS=payouts-walkthrough-$$
    ip netns add "$NS" && ip netns exec "$NS" ip link set lo up || exit 1
    trap 'ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null; ip netns del "$NS"' EXIT
    timeout --kill-after=10 "$TIMEOUT" ip netns exec "$NS" "$0" --inside
  else
    echo "readme-walkthrough: not root: running on this machine's own network (ports 8080 and 8081 must be free)"
    timeout --kill-after=10 "$TIMEOUT" "$0" --inside
  fi
  exit $?
fi

WORK=$(mktemp -d -t payouts-walkthrough-XXXXXX)
ln -s "$ROOT/target" "$WORK/target"
cd "$WORK" || exit 1
for v in $(env | grep -o '^PAYOUTS_[A-Z_]*'); do unset "$v"; done

# The blocks to run, then a script that runs each command and checks what follows it.
awk -v marker="<!-- $WALKTHROUGH_MARKER -->" 'index($0, marker) == 1 { want = 1; next }
     want && /^```/ { if (inside) { inside = 0; want = 0 } else { inside = 1 }; next }
     inside { print }' "$README" > walkthrough.sh.txt
[ -s walkthrough.sh.txt ] || { echo "readme-walkthrough: no walkthrough blocks in README.md"; exit 1; }

gen() {
  local cmd="" line n=0
  flush() {
    [ -z "$cmd" ] && return
    n=$((n + 1))
    printf 'step %d %q\n' "$n" "$cmd"
    if [[ "$cmd" =~ \&[[:space:]]*(#.*)?$ ]]; then
      printf '%s\n' "$cmd"
    elif [ -n "${1:-}" ]; then
      printf '{ %s\n} > >(tee "$W/out")\nok $?\n' "$cmd"
    else
      printf '%s\nok $?\n' "$cmd"
    fi
    cmd=""
  }
  local pending_text=""
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ ^[[:space:]]*#[[:space:]]*→[[:space:]]*(.*)$ ]]; then
      local exp=${BASH_REMATCH[1]}
      if [[ "$exp" =~ ^\" ]]; then flush text; printf 'sleep 0.2; printed %q\n' "$exp"
      else flush; printf 'expect %q\n' "$exp"; fi
      continue
    fi
    if [ -n "$cmd" ] && [[ "$cmd" == *\\ ]]; then cmd+=$'\n'"$line"; continue; fi
    flush
    [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
    cmd=$line
  done
  flush
}

cat > run.sh <<'PREAMBLE'
W=$PWD/.walk
mkdir -p "$W"
failures=0
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT
step() { current_no=$1; current=$2; printf '\n--- step %s: %s\n' "$1" "${2%%$'\n'*}"; }
fail() { echo "FAIL at step $current_no: $current"; echo "    $*"; failures=$((failures + 1)); }
ok() { [ "$1" = 0 ] || fail "exited $1"; }
# curl as the README calls it, but also keeping the status and body of the last answer.
curl() {
  rm -f "$W/body"
  command curl -o "$W/body" -w '%{http_code}' "$@" > "$W/status"
  local rc=$?
  cat "$W/body" 2>/dev/null
  return $rc
}
expect() {
  local want=$1 code=${1%% *} json=""
  [[ "$want" == *" "* ]] && json=${want#* }
  local got; got=$(cat "$W/status" 2>/dev/null)
  [ "$got" = "$code" ] || { fail "expected HTTP $code, got $got: $(head -c 400 "$W/body")"; return; }
  [ -z "$json" ] && return
  local pattern; pattern=$(printf '%s' "$json" | sed 's/"…"/""/g')
  jq -e --argjson want "$pattern" 'contains($want)' "$W/body" >/dev/null 2>&1 \
    || fail "expected a body holding $json, got $(head -c 600 "$W/body")"
}
printed() {
  local text=${1#\"}; text=${text%\"}
  grep -qF -- "$text" "$W/out" || fail "expected output with \"$text\", got: $(head -c 400 "$W/out")"
}
PREAMBLE
gen < walkthrough.sh.txt >> run.sh
cat >> run.sh <<'EPILOGUE'
echo
if [ "$failures" = 0 ]; then echo "readme-walkthrough: every step succeeded"; else echo "readme-walkthrough: $failures failed"; fi
exit $((failures > 0))
EPILOGUE

bash run.sh
rc=$?
[ "$rc" = 0 ] || { echo "logs in $WORK"; exit "$rc"; }
rm -rf "$WORK"
exit 0
