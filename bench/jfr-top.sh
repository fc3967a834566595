#!/usr/bin/env bash
# Where a JFR recording's CPU samples were: the share of jdk.ExecutionSample events by the code the
# frame on top of the stack belongs to (a package family), and by that method.
#   bench/jfr-top.sh RECORDING.jfr [ROWS=12]
set -euo pipefail
file=$1
rows=${2:-12}
command -v jfr >/dev/null || { echo "jfr is missing (it ships with the JDK)" >&2; exit 1; }
shares=$(jfr print --events jdk.ExecutionSample --stack-depth 1 "$file" | awk '
  /stackTrace = \[/ { top = 1; next }
  top == 1 {
    frame = $0; sub(/^[ \t]+/, "", frame); sub(/\(.*$/, "", frame); sub(/[ \t]+line:.*$/, "", frame)
    n++; method[frame]++
    code = frame
    if (code ~ /^(sun\.nio|java\.nio|sun\.net)/) code = "JDK nio"
    else if (code ~ /^(java|javax|jdk|sun)\./) code = "JDK other"
    else if (code ~ /^io\.netty\./) code = "Netty"
    else if (code ~ /^io\.vertx\.(pgclient|sqlclient)/) code = "Vert.x Pg client"
    else if (code ~ /^io\.vertx\.redis/) code = "Vert.x Redis client"
    else if (code ~ /^io\.vertx\.ext\.web/) code = "Vert.x Web"
    else if (code ~ /^io\.vertx\./) code = "Vert.x core"
    else if (code ~ /^com\.fasterxml\.jackson/) code = "Jackson"
    else if (code ~ /^com\.payouts\./) code = "the service (com.payouts)"
    else { split(code, parts, "."); code = parts[1] "." parts[2] }
    family[code]++
    top = 0
  }
  END {
    for (c in family) printf "F\t%.1f\t%s\n", family[c] * 100 / n, c
    for (m in method) printf "M\t%.1f\t%s\n", method[m] * 100 / n, m
    printf "N\t%d\t-\n", n
  }')
n=$(awk -F'\t' '$1 == "N" {print $2}' <<<"$shares")
if [ "${n:-0}" -eq 0 ]; then echo "no execution samples in $file"; exit 0; fi
echo "$n execution samples"
echo
echo "| code on top of the stack | share |"
echo "|:--|--:|"
awk -F'\t' '$1 == "F"' <<<"$shares" | sort -t$'\t' -k2,2nr | awk -F'\t' '{printf "| %s | %s %% |\n", $3, $2}'
echo
echo "| method on top of the stack | share |"
echo "|:--|--:|"
awk -F'\t' '$1 == "M"' <<<"$shares" | sort -t$'\t' -k2,2nr | awk -F'\t' -v r="$rows" 'NR <= r {printf "| `%s` | %s %% |\n", $3, $2}'
