#!/usr/bin/env bash
# Hand validation against the contract's: POST /api/customers and GET /api/customers/{id}, each
# validated the way the customers service does it and by vertx-web-openapi-router from
# docs/openapi.yaml (system-tests' ValidationBench: two servers in one JVM, neither storing anything,
# so that validation is all they differ in). Prints how each answers three bad requests, then
# alternating wrk rounds (the order reversed every other round) and the median of each figure and of
# the rounds' contract/hand ratios. Output goes to target/bench-validation/.
#
# Settings (environment): ROUNDS (6), WRK_THREADS (1), WRK_CONNECTIONS (16), WRK_DURATION (10s),
# WARMUP (10s per server and request before the first round), HAND_PORT (18181), CONTRACT_PORT
# (18182). Installs wrk when missing. Stops the JVM it started.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source scripts/lib/apt.sh
source scripts/bench/lib.sh
ROUNDS=${ROUNDS:-6}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
WRK_DURATION=${WRK_DURATION:-10s}
WARMUP=${WARMUP:-10s}
export HAND_PORT=${HAND_PORT:-18181} CONTRACT_PORT=${CONTRACT_PORT:-18182} BENCH_DIR=$ROOT/scripts/bench
OUT=$ROOT/target/bench-validation
apt_install wrk wrk
mkdir -p "$OUT"

# In one reactor build, the project's modules resolve to their fresh classes; every module of the
# build writes the file, system-tests last.
mvn -q -B test-compile dependency:build-classpath -pl system-tests -am -Dmdep.includeScope=test \
  -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
classpath=$ROOT/system-tests/target/test-classes:$(cat "$OUT/classpath.txt")

# The bench serves until its stdin closes: a FIFO this script holds open.
rm -f "$OUT/stdin" && mkfifo "$OUT/stdin"
(cd system-tests && exec java -cp "$classpath" io.swarmshop.system.ValidationBench <"$OUT/stdin" >"$OUT/server.log" 2>&1) &
bench_pid=$!
exec 3>"$OUT/stdin"
stop() { exec 3>&-; wait "$bench_pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 60); do
  grep -q '^serving' "$OUT/server.log" && break
  kill -0 "$bench_pid" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 1
done
grep -q '^serving' "$OUT/server.log" || { echo "the bench servers did not start in 60s" >&2; exit 1; }
echo "how each answers bad requests:"
grep -E '^(hand|contract): ' "$OUT/server.log" | sed 's/^/  /'

url() { echo "http://127.0.0.1:$([ "$1" = hand ] && echo "$HAND_PORT" || echo "$CONTRACT_PORT")$2"; }
declare -A SCRIPT=([POST]=post-customer.lua [GET]=get.lua) PATHS=([POST]=/api/customers [GET]=/api/customers/3f9c2a64-8f0e-4d1b-9a57-1c2d3e4f5a6b)
results=$OUT/results.tsv
: >"$results"
for request in POST GET; do
  for server in hand contract; do
    wrk_run "${SCRIPT[$request]}" "$(url "$server" "${PATHS[$request]}")" "$WARMUP" >/dev/null
  done
done
for round in $(seq 1 "$ROUNDS"); do
  order="hand contract"
  if ((round % 2 == 0)); then order="contract hand"; fi
  for request in POST GET; do
    for server in $order; do
      read -r rps p50 p99 errors non2xx created < <(wrk_run "${SCRIPT[$request]}" "$(url "$server" "${PATHS[$request]}")" "$WRK_DURATION")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$request" "$server" "$round" "$rps" "$p50" "$p99" "$((errors + non2xx))" >>"$results"
      echo "round $round, $request $server: $rps requests/s, p50 $p50 ms, p99 $p99 ms, errors and non-2xx $((errors + non2xx))"
    done
  done
done
# median: the middle of the numbers on stdin (the mean of the two middle ones for an even count).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
column_of() { awk -F'\t' -v r="$1" -v s="$2" -v c="$3" '$1 == r && $2 == s { print $c }' "$results"; }
echo
echo "medians of $ROUNDS rounds (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION):"
for request in POST GET; do
  ratio=$(paste <(column_of "$request" hand 4) <(column_of "$request" contract 4) | awk '{ print $2 / $1 }' | median)
  printf '  %-4s hand %s requests/s (p99 %s ms), contract %s requests/s (p99 %s ms): contract/hand %.2f; errors and non-2xx: hand %s, contract %s\n' \
    "$request" "$(column_of "$request" hand 4 | median)" "$(column_of "$request" hand 6 | median)" \
    "$(column_of "$request" contract 4 | median)" "$(column_of "$request" contract 6 | median)" "$ratio" \
    "$(column_of "$request" hand 7 | awk '{ s += $1 } END { print s + 0 }')" "$(column_of "$request" contract 7 | awk '{ s += $1 } END { print s + 0 }')"
done
