#!/usr/bin/env bash
# Side-by-side benchmark of the system running locally (as scripts/run-local.sh runs it, on its own
# ports and data folder). Prints one table and writes it to target/bench/report.md, and to
# docs/benchmarks.md when WRITE_DOCS=1.
# A second copy of the system holds the small invoice total, so that the pages at both totals are
# measured side by side, round after round, rather than minutes and different loads apart. The
# first system traces as the services do by default (TRACE_SAMPLING 0.01) and sends its spans to a
# Zipkin on loopback; a third copy traces nothing (TRACE_SAMPLING 0, no ZIPKIN_URL), and the GETs
# and POSTs through both gateways alternate, for the cost of tracing.
#
# Settings (environment): WRK_THREADS (2), WRK_CONNECTIONS (32), WRK_DURATION (10s), WARMUP (10s:
# before the first run of each figure, and more for the paths that need it, as said where they run),
# ROUNDS (5: each figure is the median of that many runs; the GETs of a customer via gateway, via
# nginx and direct alternate run by run, in reverse order every other round, and so do the two
# pages; each ratio is the median of the rounds' ratios), BENCH_PORT_OFFSET (2000; the second
# system's ports are 100 above, the third's 200, Zipkin's 9411 + BENCH_PORT_OFFSET), SMALL_INVOICES
# (1000), LARGE_INVOICES (100000), LOG_LEVEL (WARNING).
# Installs wrk, nginx-light, redis-tools and jq when missing (Debian, as root). Stops everything it
# started. This script only runs wrk and writes down what it printed (target/bench/results.tsv); the
# medians, ratios and the report are worked out by the drills module's BenchReport.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source scripts/lib/apt.sh
source scripts/lib/services.sh
source scripts/bench/lib.sh
source scripts/lib/zipkin-jar.sh

WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_DURATION=${WRK_DURATION:-10s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-5}
SMALL_INVOICES=${SMALL_INVOICES:-1000}
LARGE_INVOICES=${LARGE_INVOICES:-100000}
export PORT_OFFSET=${BENCH_PORT_OFFSET:-2000}
export RUN_DIR=$ROOT/target/bench-run
SMALL_RUN_DIR=$ROOT/target/bench-run-small
SMALL_PORT_OFFSET=$((PORT_OFFSET + 100))
UNTRACED_RUN_DIR=$ROOT/target/bench-run-untraced
UNTRACED_PORT_OFFSET=$((PORT_OFFSET + 200))
ZIPKIN_PORT=$((9411 + PORT_OFFSET))
ZIPKIN_DIR=$ROOT/target/bench-zipkin
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export BENCH_DIR=$ROOT/scripts/bench
RESULTS=$ROOT/target/bench/results.tsv
REPORT=$ROOT/target/bench/report.md
DRILLS_JAR=$ROOT/drills/target/drills.jar
mkdir -p "$(dirname "$REPORT")"
: >"$RESULTS"
COMMAND="WRK_THREADS=$WRK_THREADS WRK_CONNECTIONS=$WRK_CONNECTIONS WRK_DURATION=$WRK_DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS LOG_LEVEL=$LOG_LEVEL scripts/bench.sh"

apt_install wrk wrk
apt_install nginx nginx-light
apt_install redis-cli redis-tools
apt_install jq jq

GATEWAY=http://127.0.0.1:$((HTTP_PORTS[gateway] + PORT_OFFSET))
CUSTOMERS_DIRECT=http://127.0.0.1:$((HTTP_PORTS[customers] + PORT_OFFSET))
NGINX_PORT=$((HTTP_PORTS[gateway] + 10 + PORT_OFFSET))
INVOICES_REDIS_PORT=$((REDIS_PORTS[invoices] + PORT_OFFSET))
SMALL_GATEWAY=http://127.0.0.1:$((HTTP_PORTS[gateway] + SMALL_PORT_OFFSET))
SMALL_INVOICES_REDIS_PORT=$((REDIS_PORTS[invoices] + SMALL_PORT_OFFSET))
UNTRACED_GATEWAY=http://127.0.0.1:$((HTTP_PORTS[gateway] + UNTRACED_PORT_OFFSET))
NGINX_PID=
ZIPKIN_PID=

cleanup() {
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  scripts/run-local.sh stop >/dev/null || true
  small_system stop >/dev/null || true
  untraced_system stop >/dev/null || true
  if [ -n "$ZIPKIN_PID" ] && kill -0 "$ZIPKIN_PID" 2>/dev/null; then
    kill -TERM "$ZIPKIN_PID" 2>/dev/null || true
    wait "$ZIPKIN_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

small_system() { RUN_DIR=$SMALL_RUN_DIR PORT_OFFSET=$SMALL_PORT_OFFSET scripts/run-local.sh "$1"; }
untraced_system() { RUN_DIR=$UNTRACED_RUN_DIR PORT_OFFSET=$UNTRACED_PORT_OFFSET ZIPKIN_URL= TRACE_SAMPLING=0 scripts/run-local.sh "$1"; }

scripts/run-local.sh stop >/dev/null
small_system stop >/dev/null
untraced_system stop >/dev/null
rm -rf "$RUN_DIR" "$SMALL_RUN_DIR" "$UNTRACED_RUN_DIR"
fetch_zipkin_jar "$ZIPKIN_DIR"
QUERY_PORT=$ZIPKIN_PORT STORAGE_TYPE=mem java -Xmx256m -jar "$ZIPKIN_DIR/zipkin-server.jar" >"$ZIPKIN_DIR/zipkin.log" 2>&1 &
ZIPKIN_PID=$!
zipkin_up() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$ZIPKIN_PORT/health"; }
for _ in $(seq 1 120); do zipkin_up && break; sleep 0.5; done
zipkin_up || { echo "Zipkin did not start; see $ZIPKIN_DIR/zipkin.log" >&2; exit 1; }
ZIPKIN_URL=http://127.0.0.1:$ZIPKIN_PORT scripts/run-local.sh start >/dev/null
echo "system started on $GATEWAY, traced at the default sampling into Zipkin on port $ZIPKIN_PORT"
small_system start >/dev/null
echo "system for the small invoice total started on $SMALL_GATEWAY"
untraced_system start >/dev/null
echo "system that traces nothing started on $UNTRACED_GATEWAY"

# A nginx on loopback as a plain reverse proxy with upstream keep-alive, in front of the same customers service.
mkdir -p "$RUN_DIR/nginx"
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN_PORT@|$NGINX_PORT|g" -e "s|@CUSTOMERS_PORT@|$((HTTP_PORTS[customers] + PORT_OFFSET))|g" \
  "$BENCH_DIR/nginx.conf.template" >"$RUN_DIR/nginx/nginx.conf"
nginx -c "$RUN_DIR/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!

{ read -r CUSTOMERS; read -r PRODUCTS; } < <(seed_catalogue "$GATEWAY")
{ read -r SMALL_CUSTOMERS; read -r SMALL_PRODUCTS; } < <(seed_catalogue "$SMALL_GATEWAY")
{ read -r UNTRACED_CUSTOMERS; read -r UNTRACED_PRODUCTS; } < <(seed_catalogue "$UNTRACED_GATEWAY")
export CUSTOMERS PRODUCTS
ONE_CUSTOMER=${CUSTOMERS%%,*}
# The POSTs of a figure name customers and products of its own system.
declare -A POST_IDS=(["POST invoice via gateway, tracing off"]="$UNTRACED_CUSTOMERS $UNTRACED_PRODUCTS")

invoice_count() { redis-cli -p "$1" ZCARD invoice:index; }

# The largest resident memory of each service process, sampled while a measurement runs.
RSS_FILE=$RUN_DIR/rss
: >"$RSS_FILE"
sample_rss() {
  while true; do
    for service in "${SERVICES[@]}"; do
      file=$RUN_DIR/pids/$service.pid
      read -r pid _ <"$file"
      awk -v name="$service" '/VmRSS/ {print name, $2}' "/proc/$pid/status" 2>/dev/null
    done >>"$RSS_FILE"
    sleep 0.5
  done
}

# "service N MB, ..." : the largest resident memory sampled so far for each service.
rss_summary() {
  sort -k1,1 -k2,2n "$RSS_FILE" | awk '{max[$1]=$2} END {for (n in max) printf "%s %d MB, ", n, max[n]/1024}' | sed 's/, $//'
}

# measure NAME ROUND SCRIPT URL [warm]: one run of one figure, after a warm-up unless the path was just measured.
measure() {
  local name=$1 round=$2 script=$3 url=$4 result
  if [ "${5:-}" != warm ]; then
    (if [ -n "${POST_IDS[$name]:-}" ]; then read -r CUSTOMERS PRODUCTS <<<"${POST_IDS[$name]}"; fi
      wrk_run "$script" "$url" "$WARMUP" >/dev/null)
  fi
  sample_rss &
  local sampler=$!
  result=$(if [ -n "${POST_IDS[$name]:-}" ]; then read -r CUSTOMERS PRODUCTS <<<"${POST_IDS[$name]}"; fi
    wrk_run "$script" "$url" "$WRK_DURATION")
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  printf 'run\t%s\t%s\t%s\n' "$name" "$round" "$result" >>"$RESULTS"
  echo "$name, round $round: $result"
}

# seed_invoices GATEWAY REDIS_PORT CUSTOMERS PRODUCTS COUNT: creates invoices through the API until COUNT are stored.
seed_invoices() {
  local gateway=$1 redis_port=$2 customers products count=$5 stored missing i
  IFS=, read -ra customers <<<"$3"
  IFS=, read -ra products <<<"$4"
  while stored=$(invoice_count "$redis_port") && [ "$stored" -lt "$count" ]; do
    missing=$((count - stored))
    if [ "$missing" -gt 5000 ]; then
      CUSTOMERS=$3 PRODUCTS=$4 wrk_run post-invoices.lua "$gateway" 2s >/dev/null
    else
      for i in $(seq 1 "$missing"); do
        echo "{\"customerId\":\"${customers[$((i % ${#customers[@]}))]}\",\"productId\":\"${products[$((i % ${#products[@]}))]}\",\"quantity\":$i}"
      done | xargs -d '\n' -P 8 -I{} curl -s -o /dev/null -H 'Content-Type: application/json' -d {} "$gateway/api/invoices" || true
    fi
    if [ "$(invoice_count "$redis_port")" -le "$stored" ]; then
      echo "seeding invoices on $gateway makes no progress (stuck at $stored); see $RUN_DIR/logs/ and $SMALL_RUN_DIR/logs/" >&2
      exit 1
    fi
  done
}

# The small total is stored in the second system, which serves nothing else.
seed_invoices "$SMALL_GATEWAY" "$SMALL_INVOICES_REDIS_PORT" "$SMALL_CUSTOMERS" "$SMALL_PRODUCTS" "$SMALL_INVOICES"
SMALL_STORED=$(invoice_count "$SMALL_INVOICES_REDIS_PORT")

# Every process compiles its hot paths first (the JIT needs tens of seconds on 2 shared cores), so
# that no figure depends on whether it came first or last.
echo "warming up the reads of a customer for $WARMUP each"
wrk_run get.lua "$GATEWAY/api/customers/$ONE_CUSTOMER" "$WARMUP" >/dev/null
wrk_run get.lua "$UNTRACED_GATEWAY/api/customers/${UNTRACED_CUSTOMERS%%,*}" "$WARMUP" >/dev/null
wrk_run get.lua "http://127.0.0.1:$NGINX_PORT/customers/$ONE_CUSTOMER" "$WARMUP" >/dev/null

# alternate SCRIPT NAME URL [NAME URL]...: ROUNDS rounds, each measuring every NAME in turn (the first
# after a warm-up), so that a neighbour's burst on a shared machine moves one round of one of them
# rather than the ratios between them; every other round takes them in reverse order, so that a
# machine slowly getting faster or slower does not favour the NAME that always comes last. Each NAME
# gets the median of its rounds (BenchReport). With one NAME, its rounds simply follow each other.
alternate() {
  local script=$1 round i order
  shift
  for round in $(seq 1 "$ROUNDS"); do
    order=$(seq 1 2 $(($# - 1)))
    if [ $((round % 2)) -eq 0 ]; then order=$(echo "$order" | tac); fi
    for i in $order; do
      measure "${!i}" "$round" "$script" "${@:i+1:1}" "$([ "$round" -gt 1 ] && echo warm)"
    done
  done
}

# The gateway and nginx run next to each other in every round: their ratio is the closest comparison.
alternate get.lua \
  "GET customer via gateway" "$GATEWAY/api/customers/$ONE_CUSTOMER" \
  "GET customer via gateway, tracing off" "$UNTRACED_GATEWAY/api/customers/${UNTRACED_CUSTOMERS%%,*}" \
  "GET customer via nginx" "http://127.0.0.1:$NGINX_PORT/customers/$ONE_CUSTOMER" \
  "GET customer direct" "$CUSTOMERS_DIRECT/customers/$ONE_CUSTOMER"
: >"$RSS_FILE"
# Creation has not run yet: it gets a warm-up of its own twice as long as the others'.
wrk_run post-invoices.lua "$GATEWAY" "$WARMUP" >/dev/null
CUSTOMERS=$UNTRACED_CUSTOMERS PRODUCTS=$UNTRACED_PRODUCTS wrk_run post-invoices.lua "$UNTRACED_GATEWAY" "$WARMUP" >/dev/null
alternate post-invoices.lua "POST invoice via gateway" "$GATEWAY" "POST invoice via gateway, tracing off" "$UNTRACED_GATEWAY"
POST_RSS=$(rss_summary)
seed_invoices "$GATEWAY" "$INVOICES_REDIS_PORT" "$CUSTOMERS" "$PRODUCTS" "$LARGE_INVOICES"
LARGE_STORED=$(invoice_count "$INVOICES_REDIS_PORT")
# Both pages warm up alike, then alternate: each system's gateway and invoices serve the same reads.
SMALL_PAGE="$SMALL_GATEWAY/api/invoices?limit=50"
LARGE_PAGE="$GATEWAY/api/invoices?limit=50"
echo "warming up both invoice pages for $WARMUP each, twice"
for _ in 1 2; do
  wrk_run get.lua "$SMALL_PAGE" "$WARMUP" >/dev/null
  wrk_run get.lua "$LARGE_PAGE" "$WARMUP" >/dev/null
done
alternate get.lua \
  "GET invoices page, $SMALL_STORED stored" "$SMALL_PAGE" \
  "GET invoices page, $LARGE_STORED stored" "$LARGE_PAGE"
ALL_RSS=$(rss_summary)

[ -s "$DRILLS_JAR" ] || mvn -q -B package -DskipTests -pl drills -am
{
  printf 'text\t%s\n' "# Benchmarks" "" \
    "Measured by \`$COMMAND\` on $(date -u +%Y-%m-%dT%H:%MZ): wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION after a $WARMUP warm-up, each figure the median of $ROUNDS runs and each ratio the median of the $ROUNDS rounds' ratios, one figure after the other (the GETs of a customer alternating run by run, in reverse order every other round, and so the two pages, the small total stored in a second copy of the system), wrk and the whole system sharing one machine." "" \
    "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) memory, $(java -version 2>&1 | head -1)." \
    "Services: JAVA_OPTS as scripts/run-local.sh and the images set them; LOG_LEVEL=$LOG_LEVEL. \"Via gateway\" is the system tracing at the default sampling (TRACE_SAMPLING 0.01) into a Zipkin on the same machine; \"tracing off\" a copy of it with TRACE_SAMPLING 0 and no ZIPKIN_URL." ""
  printf 'ratio\t%s\t%s\t%s\n' \
    "gateway / direct throughput" "GET customer via gateway" "GET customer direct" \
    "gateway / nginx throughput" "GET customer via gateway" "GET customer via nginx" \
    "GET through the gateway, traced / tracing off, throughput" "GET customer via gateway" "GET customer via gateway, tracing off" \
    "POST through the gateway, traced / tracing off, throughput" "POST invoice via gateway" "POST invoice via gateway, tracing off" \
    "invoices page at $LARGE_STORED / at $SMALL_STORED stored, throughput" "GET invoices page, $LARGE_STORED stored" "GET invoices page, $SMALL_STORED stored"
  printf 'note\t%s\n' "largest resident memory during POST invoice: $POST_RSS" "largest resident memory over all measurements: $ALL_RSS"
} >>"$RESULTS"
java -cp "$DRILLS_JAR" io.swarmshop.drills.BenchReport "$RESULTS" >"$REPORT"
echo
cat "$REPORT"
if [ -n "${WRITE_DOCS:-}" ]; then
  cp "$REPORT" docs/benchmarks.md
  echo "written to docs/benchmarks.md"
fi
