#!/usr/bin/env bash
# Before and after in one invocation: bench/run.sh once with each build, same settings, one after
# the other, then both tables. Usage:
#   bench/compare.sh BEFORE.jar [AFTER.jar]     (AFTER defaults to target/payouts.jar)
# Every BENCH_* setting passes through to both runs; for the in-flight ceiling alone, e.g.
#   BENCH_SIZES=1000 BENCH_PEER_N=0 BENCH_FILL_ROWS=0 BENCH_INFLIGHT_RUNS=6000:30000 bench/compare.sh old.jar
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: bench/compare.sh BEFORE.jar [AFTER.jar]}
after=${2:-target/payouts.jar}
out=${BENCH_OUT:-target/bench}
mkdir -p "$(dirname "$out")"
for jar in "$before" "$after"; do [ -f "$jar" ] || { echo "no jar at $jar" >&2; exit 2; }; done
BENCH_JAR=$before BENCH_OUT=$out/before bench/run.sh >"$out-before.log" 2>&1 || echo "before: bench/run.sh failed, see $out-before.log"
BENCH_JAR=$after BENCH_OUT=$out/after bench/run.sh >"$out-after.log" 2>&1 || echo "after: bench/run.sh failed, see $out-after.log"
echo "## before ($before)"
cat "$out/before/results.md" 2>/dev/null || tail -20 "$out-before.log"
echo
echo "## after ($after)"
cat "$out/after/results.md" 2>/dev/null || tail -20 "$out-after.log"
