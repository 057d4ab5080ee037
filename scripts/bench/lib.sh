# What the benchmark scripts share: seeding a system through its gateway, and one wrk run. Sourced by
# bench.sh and compare.sh, which set WRK_THREADS, WRK_CONNECTIONS and BENCH_DIR.

post() { curl -sf -H 'Content-Type: application/json' -d "$3" "$1$2"; }

# seed_catalogue GATEWAY: stores 20 customers and 20 products; prints their ids, comma-separated, on two lines.
seed_catalogue() {
  local gateway=$1 customers=() products=() i
  for i in $(seq 1 20); do
    customers+=("$(post "$gateway" /api/customers "{\"name\":\"Bench customer $i\",\"address\":\"Street $i\"}" | jq -r .id)")
    products+=("$(post "$gateway" /api/products "{\"name\":\"Bench product $i\",\"price\":$i.25}" | jq -r .id)")
  done
  (IFS=,; echo "${customers[*]}"; echo "${products[*]}")
}

# wrk_run SCRIPT URL DURATION: prints "rps p50 p99 errors non2xx created" (scripts/bench/report.lua).
wrk_run() {
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$3" --timeout 5s -s "$BENCH_DIR/$1" "$2" | sed -n 's/^RESULT //p'
}
