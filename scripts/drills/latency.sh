#!/usr/bin/env bash
# Drill: LATENCY_MS (800) of delay injected at run time into every request of one products replica
# (PUT /faults on its management port), under steady load. Invoices' circuit for that replica must
# take it out for its slow answers, invoice creation's p99 must be back under its value before the
# fault plus 50 ms within RECOVERY_SECONDS (90), and no request may fail; the fault removed, the
# replica must be taken back. The value before the fault is taken over the 30 s of load before it (a
# 30 s warm-up): on a shared machine one 15 s window's p99 swings by hundreds of milliseconds.
set -euo pipefail
DRILL_WARMUP=${DRILL_WARMUP:-30}
. "$(dirname "$0")/lib.sh"

LATENCY_MS=${LATENCY_MS:-800}
RECOVERY_SECONDS=${RECOVERY_SECONDS:-90}
# p99_ms [WINDOW]: invoice creation's p99 as invoices serves it, over WINDOW (15s: three scrapes).
p99_ms() {
  prom_query "histogram_quantile(0.99, sum by (le) (rate(vertx_http_server_response_time_seconds_bucket{service=\"invoices\",method=\"POST\"}[${1:-15s}])))" |
    jq -r '(.[0].value[1] // "NaN") | tonumber? // 0 | . * 1000 | round'
}

# faults METHOD [BODY]: /faults of the chosen replica, from inside its container (the management port is published nowhere).
faults() {
  local request="$1 /faults HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
  if [ -n "${2:-}" ]; then request+="Content-Type: application/json\r\nContent-Length: ${#2}\r\n\r\n$2"; else request+="\r\n"; fi
  node_docker "$node" exec "$container" bash -c "exec 3<>/dev/tcp/127.0.0.1/9000 && printf '$request' >&3 && head -1 <&3" | tr -d '\r'
}
# circuit: invoices' circuit state for the replica (0 closed, 1 half-open, 2 open), the highest any invoices task holds.
circuit() {
  prom_query "max(swarmshop_circuit_state{service=\"invoices\",dependency=\"products\",address=\"$address:8080\"})" | jq -r '.[0].value[1] // "none"'
}

drill_start latency 0
read -r _ node container <<<"$(running_task products)"
address=$(node_docker "$node" inspect -f "{{(index .NetworkSettings.Networks \"${STACK}_front\").IPAddress}}" "$container")
before=$(p99_ms 30s)
step "invoice creation's p99 before the fault: $before ms; injecting ${LATENCY_MS} ms into products at $address on $node"
t=$(now)
drill_fault
answer=$(faults PUT "{\"delayMs\": $LATENCY_MS}")
[[ "$answer" == *" 200 "* ]] || problem "PUT /faults answered '$answer'"

ejected() { [ "$(circuit)" = 2 ]; }
if wait_until 30 "invoices to eject products at $address" ejected; then
  step "invoices' circuit for $address opened after $(since "$t")s"
else
  problem "invoices did not eject the slow replica within 30 s (circuit: $(circuit))"
fi
# Back means under the limit at three looks in a row: one look can fall between two slow answers.
highest=$(p99_ms)
under=0
last=
back() {
  local now_ms
  now_ms=$(p99_ms)
  if ((now_ms > highest)); then highest=$now_ms; fi
  if ((now_ms > 0 && now_ms < before + 50)); then
    under=$((under + 1))
    last="$last $now_ms"
  else
    under=0
    last=
  fi
  ((under >= 3))
}
if wait_until "$RECOVERY_SECONDS" "invoice creation's p99 to be back under $((before + 50)) ms" back; then
  step "invoice creation's p99 back under $before + 50 ms after $(since "$t")s (three looks in a row:$last ms); the highest seen: $highest ms"
else
  problem "invoice creation's p99 still $(p99_ms) ms ${RECOVERY_SECONDS}s after the fault (before: $before ms)"
fi

step "removing the fault"
t=$(now)
answer=$(faults DELETE)
[[ "$answer" == *" 204 "* ]] || problem "DELETE /faults answered '$answer'"
taken_back() { [ "$(circuit)" = 0 ]; }
if wait_until 60 "invoices to take products at $address back" taken_back; then
  step "invoices' circuit for $address closed again after $(since "$t")s"
else
  problem "the replica was not taken back within 60 s (circuit: $(circuit))"
fi
drill_finish 5
