#!/usr/bin/env bash
# The stack on a real three-node Swarm, end to end, as CI runs it after the tests: brings up the lab
# (scripts/swarm-lab.sh, MANAGERS=3 unless set), builds the images on a local base image, deploys
# stack.yml with only the image variables and the lab override changed, checks the webapp and the API
# through the gateway on every node, warms the JVMs under the drills' load for a minute
# (drills/warm-up.sh), runs every Grafana panel's query against the stack's Prometheus, runs every
# drill (the node drills kill m1, then w1, then w2, so that each data service loses its primary at
# least once, then cut one node off), prints the stack's memory (scripts/stack-memory.sh), and tears
# the lab down, also when something fails. Needs root; installs docker.io, debootstrap, iproute2,
# curl and jq when they are missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/lib/apt.sh
export SWARM=lab
export MANAGERS=${MANAGERS:-3}
. scripts/lib/swarm.sh
. scripts/lib/services.sh

apt_install dockerd docker.io
apt_install debootstrap debootstrap
apt_install ip iproute2
apt_install curl curl
apt_install jq jq

started=$SECONDS
trap 'scripts/swarm-lab.sh down >/dev/null 2>&1 || true' EXIT
scripts/swarm-lab.sh up
scripts/deploy.sh
GATEWAY=http://$(node_address m1)

failures=()
body=$(mktemp)
check() {
  local what=$1
  shift
  if "$@"; then
    echo "  ok: $what"
  else
    echo "  FAILED: $what"
    failures+=("$what")
  fi
}
# status_of METHOD PATH [BODY]: the HTTP status the gateway answers.
status_of() {
  curl -sS -m 5 -o "$body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$GATEWAY$2"
}
field() { jq -r ".$1" "$body"; }

echo "checking the webapp and the API through the gateway at $GATEWAY"
check "the webapp's page" bash -c "curl -fsS -m 5 '$GATEWAY/' | grep -q '<title>Swarmshop'"
check "a customer is created" [ "$(status_of POST /api/customers '{"name":"Swarm Ada","address":"1 Lab Road"}')" = 201 ]
customer=$(field id)
check "a product is created" [ "$(status_of POST /api/products '{"name":"Swarm tea","price":3.5}')" = 201 ]
product=$(field id)
check "an invoice is issued" [ "$(status_of POST /api/invoices "{\"customerId\":\"$customer\",\"productId\":\"$product\",\"quantity\":3}")" = 201 ]
invoice=$(field id)
check "the invoice reads back with its exact total" bash -c "curl -fsS -m 5 '$GATEWAY/api/invoices/$invoice' | grep -q '\"total\":10.50'"
check "bad input is a 400" [ "$(status_of POST /api/customers '{"name":""}')" = 400 ]
check "an unknown product is a 422" [ "$(status_of POST /api/invoices "{\"customerId\":\"$customer\",\"productId\":\"no-such-product\",\"quantity\":1}")" = 422 ]
# One request's log lines across the stack (scripts/logs.sh), by its request id: every hop of an invoice.
request_id=e2e-$(date +%s)
curl -sS -m 5 -o /dev/null -H 'Content-Type: application/json' -H "X-Request-Id: $request_id" \
  --data "{\"customerId\":\"$customer\",\"productId\":\"$product\",\"quantity\":1}" "$GATEWAY/api/invoices" || true
logged_by_every_hop() {
  local services
  services=$(scripts/logs.sh "$request_id" 10m | cut -f2 | cut -d@ -f1 | sort -u | paste -sd' ' -)
  [ "$services" = "customers gateway invoices products" ]
}
check "scripts/logs.sh finds an invoice's lines in the gateway, invoices, customers and products" \
  wait_until 30 "the log lines of request $request_id" logged_by_every_hop
healthy_instances() { curl -fsS -m 5 "$1/api/status" | jq '[.services[].instances[] | select(.healthy)] | length'; }
for entry in $(gateway_entries); do
  check "the gateway on $entry sees 2 healthy instances of each service" [ "$(healthy_instances "$entry")" -ge 8 ]
  check "the gateway on $entry reads the invoice back" bash -c "curl -fsS -m 5 '$entry/api/invoices/$invoice' | grep -q '\"total\":10.50'"
  check "the gateway on $entry places every instance on a node of the swarm" wait_until 10 "every instance's node" \
    bash -c "curl -fsS -m 5 '$entry/api/status' | jq -e '[.services[].instances[].node] | all(. == \"m1\" or . == \"w1\" or . == \"w2\")' >/dev/null"
  check "the gateway on $entry reads the firing alerts from Alertmanager" wait_until 15 "Alertmanager's alerts" \
    bash -c "curl -fsS -m 5 '$entry/api/status' | jq -e '.alerts.error == null and (.alerts.firing | type) == \"array\"' >/dev/null"
done
rm -f "$body"
# Each service logs the transport it runs on: io_uring, or epoll where the engine's seccomp profile
# refuses it. The images log JSON lines: one that is not (a JVM's own warning) is left out.
echo "transports the services run on:"
native=0
for service in "${SERVICES[@]}"; do
  transport=$(service_logs --raw "${STACK}_$service" 2>&1 | grep '^{' | jq -r '.message' \
    | sed -n 's/.*, over \([a-z_]*\)$/\1/p' | sort -u | paste -sd, -) || true
  echo "  $service: ${transport:-not logged}"
  if [[ "$transport" =~ ^(io_uring|epoll)(,(io_uring|epoll))*$ ]]; then
    native=$((native + 1))
  fi
done
check "every service runs on io_uring or epoll, not java.nio" [ "$native" = "${#SERVICES[@]}" ]

echo
scripts/drills/warm-up.sh

# Grafana cannot run in the lab: each panel's query of grafana/dashboards/ runs against the lab's
# Prometheus instead, after the warm-up's minute of load, and must return series.
echo "the dashboards' queries against Prometheus at $(prometheus_entry):"
empty_panels=0
while IFS=$'\t' read -r dashboard panel expr; do
  series=$(prom_query "$expr" | jq length)
  echo "  $dashboard / $panel: $series series"
  if [ "$series" = 0 ]; then empty_panels=$((empty_panels + 1)); fi
done < <(jq -r '.title as $dashboard | .panels[] | .title as $panel | .targets[] | [$dashboard, $panel, .expr] | @tsv' grafana/dashboards/*.json)
check "every dashboard panel's query returns series" [ "$empty_panels" = 0 ]
drill_times=()
# What made a drill fail, repeated at the end of the run: CI keeps only the tail of what it prints.
verdicts=$(mktemp)
for drill in scale rolling-update "canary good" "canary bad" latency kill-container "kill-redis invoices" \
  "kill-node m1" "kill-node w1" "kill-node w2" partition-node; do
  echo
  drill_started=$SECONDS
  read -r script argument <<<"$drill"
  output=$(mktemp)
  if ! "scripts/drills/$script.sh" ${argument:+"$argument"} 2>&1 | tee "$output"; then
    failures+=("drill $drill")
    { echo "drill $drill:"; grep -E 'PROBLEM|budget:|answered 2xx|failed [0-9]+ \(|% ok\)|writes failing|lost [1-9]|^  cause: ' "$output"; } >>"$verdicts"
  fi
  rm -f "$output"
  drill_times+=("$drill $((SECONDS - drill_started))s")
done

echo
scripts/stack-memory.sh || true
echo
echo "swarm end-to-end run: $((SECONDS - started))s (drills: $(IFS=,; echo "${drill_times[*]}"))"
if ((${#failures[@]})); then
  [ ! -s "$verdicts" ] || { echo "why the drills failed:"; cat "$verdicts"; }
  rm -f "$verdicts"
  printf '  failed: %s\n' "${failures[@]}"
  exit 1
fi
rm -f "$verdicts"
echo "  everything passed"
