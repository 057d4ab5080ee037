# What every drill shares: the load driver (drills/target/drills.jar) started in the background
# through the gateway's entries, checks on what the swarm does, where each Redis primary is, and one
# verdict at the end. Sourced by the drills.
#
# Settings (environment): SWARM (lab) and STACK (swarmshop) as for deploy.sh; DRILL_ENTRIES (the
# gateway on every node: http://NODE,...); DRILL_RATE (100 requests per second); DRILL_WARMUP (10
# seconds of load before the drill acts); DRILL_DIR (target/drills), where each drill leaves its
# report.json and load.log.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/apt.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/swarm.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/services.sh"

DRILL_ENTRIES=${DRILL_ENTRIES:-$(gateway_entries | paste -sd, -)}
DRILL_RATE=${DRILL_RATE:-100}
DRILL_WARMUP=${DRILL_WARMUP:-10}
DRILL_DIR=${DRILL_DIR:-$SWARM_ROOT/target/drills}
DRILL_JAR=$SWARM_ROOT/drills/target/drills.jar
# The entry the drills' own checks go through: the first of DRILL_ENTRIES.
GATEWAY=${DRILL_ENTRIES%%,*}
# What the failover budgets allow: seconds of failing writes, and the share of requests answered 2xx
# of each service whose primary (and whose dependencies' primaries) did not move.
FAILOVER_BUDGET_SECONDS=10
UNMOVED_MIN_PERCENT_OK=99
DRILL_PROBLEMS=()
apt_install jq jq
LOAD_PID=

# drill_start NAME MAX_FAILURES: starts the load and warms up; every request sent after the warm-up
# counts against MAX_FAILURES (those of the warm-up are reported apart).
drill_start() {
  DRILL_NAME=$1
  DRILL_MAX_FAILURES=$2
  if [ ! -s "$DRILL_JAR" ]; then
    (cd "$SWARM_ROOT" && mvn -q -B package -DskipTests -pl drills -am)
  fi
  DRILL_OUT=$DRILL_DIR/$DRILL_NAME
  DRILL_BEGAN=$(now)
  rm -rf "$DRILL_OUT"
  mkdir -p "$DRILL_OUT"
  java -jar "$DRILL_JAR" --name "$DRILL_NAME" --entries "$DRILL_ENTRIES" --rate "$DRILL_RATE" \
    --stop-file "$DRILL_OUT/stop" --fault-file "$DRILL_OUT/fault" --max-failures "$DRILL_MAX_FAILURES" \
    --report "$DRILL_OUT/report.json" --warmup-seconds "$DRILL_WARMUP" >"$DRILL_OUT/load.log" 2>&1 &
  LOAD_PID=$!
  trap drill_abort EXIT
  # The driver first creates its customers and products, then says it has started.
  driver_started() { [ -e "$DRILL_OUT/stop.started" ] || ! kill -0 "$LOAD_PID" 2>/dev/null; }
  wait_until 180 "the load driver to create its customers and products" driver_started
  echo "drill $DRILL_NAME on $SWARM: $DRILL_RATE requests/s through $DRILL_ENTRIES; warming up ${DRILL_WARMUP}s"
  sleep "$DRILL_WARMUP"
  if ! kill -0 "$LOAD_PID" 2>/dev/null; then
    cat "$DRILL_OUT/load.log" >&2
    echo "the load driver stopped before the drill began" >&2
    exit 1
  fi
  DRILL_T0=$(now)
}

# Stops the load driver if the drill ends early (an error, Ctrl-C).
drill_abort() {
  if [ -n "$LOAD_PID" ] && kill -0 "$LOAD_PID" 2>/dev/null; then
    kill -TERM "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" 2>/dev/null || true
  fi
}

# Marks the moment the drill acts: the load driver measures each service's failover window from it.
drill_fault() {
  touch "$DRILL_OUT/fault"
}

# step MESSAGE: one line of what the drill does, stamped with the seconds since the drill began.
step() { printf '  [%6ss] %s\n' "$(since "$DRILL_T0")" "$*"; }

problem() {
  DRILL_PROBLEMS+=("$*")
  step "PROBLEM: $*"
}

# drill_finish [SECONDS] [MOVED...]: stops the load SECONDS (5) later, audits, prints the summary;
# exits non-zero on any problem or breach. MOVED are the data services whose primary moved: the
# failover budgets then apply (each one's writes fail no longer than FAILOVER_BUDGET_SECONDS, every
# other service, and invoices when none of the three moved, stays at UNMOVED_MIN_PERCENT_OK).
drill_finish() {
  sleep "${1:-5}"
  shift || true
  touch "$DRILL_OUT/stop"
  local status=0
  wait "$LOAD_PID" || status=$?
  LOAD_PID=
  trap - EXIT
  grep -v '^SLF4J' "$DRILL_OUT/load.log"
  if [ -s "$DRILL_OUT/report.json" ] && [ -e "$DRILL_OUT/fault" ]; then
    check_failover_budgets "$@"
  fi
  show_prometheus_view
  show_invoice_trace
  local problem
  for problem in "${DRILL_PROBLEMS[@]}"; do
    echo "  drill problem: $problem"
  done
  if [ "$status" != 0 ] || ((${#DRILL_PROBLEMS[@]})); then
    show_failures_in_full
    echo "drill $DRILL_NAME: FAILED"
    exit 1
  fi
  echo "drill $DRILL_NAME: PASSED"
}

# Each second's failures with the server that answered them and what it said: why a drill failed.
show_failures_in_full() {
  [ -s "$DRILL_OUT/report.json" ] || return 0
  echo "  failures in full (second after the drill acted: request, status, server: detail):"
  jq -r '.failuresBySecond | to_entries[] | .key as $second | .value | to_entries[] | "    \($second): \(.value)x \(.key)"' \
    "$DRILL_OUT/report.json" | head -40
  failure_causes
}

# The failures summed by request, status, server and detail, most first, with the seconds they came in.
failure_causes() {
  jq -r '[.failuresBySecond | to_entries[] | (.key | tonumber) as $second | .value | to_entries[]
      | {second: $second, cause: .key, count: .value}]
    | group_by(.cause) | map({cause: .[0].cause, count: (map(.count) | add), from: (map(.second) | min), to: (map(.second) | max)})
    | sort_by(-.count) | .[:12][] | "  cause: \(.count)x \(.cause) (seconds \(.from)-\(.to))"' "$DRILL_OUT/report.json"
}

check_failover_budgets() {
  local report=$DRILL_OUT/report.json moved=" $* " service window percent
  for service in "$@"; do
    window=$(jq -r --arg s "$service" '.failoverWindowSeconds[$s] // 0' "$report")
    if awk -v w="$window" -v max="$FAILOVER_BUDGET_SECONDS" 'BEGIN { exit !(w < 0 || w > max) }'; then
      problem "$service's writes failed for longer than ${FAILOVER_BUDGET_SECONDS}s after the fault (window: $window s; -1: never recovered)"
    fi
  done
  # Invoices reads customers and products on every write: it is affected when any of the three moved.
  if [ "$moved" != "  " ]; then moved+="invoices "; fi
  # Requests through the entry of a node the drill took away (DRILL_VICTIM_ENTRY) are left out: a
  # node killed or cut off cannot serve them, and the load moves off it.
  for service in "${DATA_SERVICES[@]}"; do
    [[ "$moved" == *" $service "* ]] && continue
    percent=$(jq -r --arg s "$service" --arg victim "${DRILL_VICTIM_ENTRY:-}" '
      [.byEntryAndService | to_entries[] | select(.key != $victim) | .value[$s] // empty]
      | (map(.ok) | add // 0) as $ok | (map(.failed) | add // 0) as $failed
      | if $ok + $failed == 0 then 100 else 100 * $ok / ($ok + $failed) end' "$report")
    if awk -v p="$percent" -v min="$UNMOVED_MIN_PERCENT_OK" 'BEGIN { exit !(p < min) }'; then
      problem "$service, whose primary did not move, answered only $percent % of its requests 2xx (budget: $UNMOVED_MIN_PERCENT_OK %)"
    fi
  done
  # The load reads back the invoice acknowledged last: a 404 there is a write it could not read.
  if [ "$(jq -r '.byService.invoices.failures["404"] // 0' "$report")" != 0 ]; then
    problem "an invoice read back right after its 201 was not found (read your own writes)"
  fi
  local shown=${*:-none}
  echo "  failover budgets: writes of a moved primary failing ${FAILOVER_BUDGET_SECONDS}s at most (moved: $shown); the others at least $UNMOVED_MIN_PERCENT_OK % answered 2xx${DRILL_VICTIM_ENTRY:+ through the entries but $DRILL_VICTIM_ENTRY}"
}

# Seconds, with tenths, since a moment taken with now().
now() { echo "$EPOCHREALTIME"; }
since() { awk -v from="$1" -v to="$EPOCHREALTIME" 'BEGIN { printf "%.1f", to - from }'; }

# distinct_served_by PATH N TIMEOUT: asks the gateway for PATH until N different instances have
# answered (X-Served-By), or TIMEOUT seconds pass; prints the instances seen.
distinct_served_by() {
  local path=$1 wanted=$2 timeout=$3 started=$SECONDS seen
  seen=$(mktemp)
  while (($(sort -u "$seen" | wc -l) < wanted)) && ((SECONDS - started < timeout)); do
    curl -sS -m 3 -o /dev/null -D - "$GATEWAY$path" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-served-by" { print $2 }' >>"$seen" || true
  done
  sort -u "$seen"
  rm -f "$seen"
}

# The series of a query as "labels value" lines, e.g. "customers 98.5".
prom_lines() {
  prom_query "$1" | jq -r --arg key "$2" '.[] | "\(.metric[$key] // "-") \(.value[1] | tonumber | . * 10 | round / 10)"'
}

# Alerts (firing at some point of the last SECONDS, or now) as "InstanceDown{job=nodes,node=w2,...}".
prom_alerts() {
  prom_query "$1" | jq -r '.[].metric | del(.__name__, .alertstate, .severity) | "\(.alertname){\(del(.alertname) | to_entries | map("\(.key)=\(.value)") | join(","))}"' | sort -u
}

# Whole seconds since the drill began (its warm-up included), rounded up: a range for Prometheus.
drill_window() { awk -v s="$(since "$DRILL_BEGAN")" 'BEGIN { printf "%d", s + 1 }'; }

# What Prometheus saw while the drill ran (from its start, warm-up included): requests/s and 5xx by
# service, and the alerts that fired and resolved or still fire. A Prometheus that the drill moved
# to another node saw only the time since it started there, which is said.
show_prometheus_view() {
  local window uptime
  window=$(drill_window)
  uptime=$(prom_query 'time() - process_start_time_seconds{job="prometheus"}' | jq -r '.[0].value[1] // empty' | cut -d. -f1)
  if [ -z "$(prom_query 'vector(1)' | jq -r '.[0].value[1] // empty')" ]; then
    echo "  prometheus: does not answer at $(prometheus_entry)"
    return 0
  fi
  echo "  prometheus ($(prometheus_entry)), over the drill's ${window}s${uptime:+ (it has run ${uptime}s)}:"
  echo "    requests/s by service: $(prom_lines "sum by (service) (increase(vertx_http_server_requests_total[${window}s])) / $window" service | paste -sd, - | sed 's/,/, /g')"
  echo "    5xx by service: $(prom_lines "sum by (service) (increase(vertx_http_server_requests_total{code=~\"5..\"}[${window}s]))" service | paste -sd, - | sed 's/,/, /g')"
  local fired firing
  fired=$(prom_alerts "max_over_time(ALERTS{alertstate=\"firing\"}[${window}s])")
  firing=$(prom_alerts 'ALERTS{alertstate="firing"}')
  echo "    alerts fired and resolved: $(comm -23 <(echo "$fired") <(echo "$firing") | paste -sd' ' - | sed 's/^$/none/')"
  echo "    alerts firing now: $(echo "$firing" | paste -sd' ' - | sed 's/^$/none/')"
}

# wait_alert_firing ALERT LABEL VALUE: waits 90 s at most for the alert to fire for the series whose
# LABEL is VALUE; a problem when it does not.
wait_alert_firing() {
  local alert=$1 label=$2 value=$3
  firing() { [ "$(prom_query "ALERTS{alertname=\"$alert\", alertstate=\"firing\", $label=\"$value\"}" | jq length)" -gt 0 ]; }
  if wait_until 90 "$alert for $label=$value to fire" firing; then
    step "Prometheus ($(prometheus_entry)): $alert fires for $label=$value"
  else
    problem "$alert for $label=$value did not fire within 90 s (Prometheus at $(prometheus_entry))"
  fi
}

# expect_alert_resolved ALERT LABEL VALUE: the alert must have fired for the series whose LABEL is
# VALUE since the drill began, and must be resolved within 90 s.
expect_alert_resolved() {
  local alert=$1 label=$2 value=$3 window
  window=$(drill_window)
  fired_and_resolved() {
    [ "$(prom_query "max_over_time(ALERTS{alertname=\"$alert\", alertstate=\"firing\", $label=\"$value\"}[${window}s])" | jq length)" -gt 0 ] &&
      [ "$(prom_query "ALERTS{alertname=\"$alert\", alertstate=\"firing\", $label=\"$value\"}" | jq length)" = 0 ]
  }
  if wait_until 90 "$alert for $label=$value to have fired and resolved" fired_and_resolved; then
    step "Prometheus: $alert fired for $label=$value and resolved"
  else
    problem "$alert for $label=$value did not both fire and resolve (Prometheus at $(prometheus_entry))"
  fi
}

# Any one customer's id, for reads through the gateway.
some_customer_id() {
  curl -fsS -m 3 "$GATEWAY/api/customers?limit=1" | jq -r '.items[0].id'
}

# Issues one invoice in a trace of its own, sampled whatever TRACE_SAMPLING is (its traceparent says
# so), and prints where Zipkin shows it and which services' spans it holds: all four, or a problem.
# Zipkin keeps its spans in memory: one that a drill moved to another node starts empty, and spans
# sent while its old task is still being shut down are lost with it. So each try first waits for
# one Zipkin task, and three tries are made, 20 s apart at most.
show_invoice_trace() {
  local try trace_id parent customer product status zipkin services deadline
  customer=$(some_customer_id) && product=$(curl -fsS -m 3 "$GATEWAY/api/products?limit=1" | jq -r '.items[0].id') || true
  for try in 1 2 3; do
    wait_until 60 "one Zipkin task" one_zipkin_task || true
    trace_id=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    parent=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
    status=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -H "traceparent: 00-$trace_id-$parent-01" \
      -d "{\"customerId\":\"$customer\",\"productId\":\"$product\",\"quantity\":1}" "$GATEWAY/api/invoices" || true)
    zipkin=$(zipkin_entry)
    services=""
    deadline=$((SECONDS + 20))
    while ((SECONDS < deadline)); do
      services=$(curl -fsS -m 3 "$zipkin/api/v2/trace/$trace_id" 2>/dev/null \
        | jq -r '[.[].localEndpoint.serviceName] | unique | join(" ")' 2>/dev/null || true)
      [ "$services" = "customers gateway invoices products" ] && break
      sleep 1
    done
    echo "  one invoice's trace (try $try, answered $status): $zipkin/zipkin/traces/$trace_id, spans of: ${services:-none}"
    [ "$services" = "customers gateway invoices products" ] && return 0
  done
  problem "no invoice's trace reached Zipkin with spans of all four services in 3 tries"
}

# Exactly one Zipkin task running, whatever Swarm wants of the others (an old one it is shutting down).
one_zipkin_task() {
  [ "$(manager_docker service ps --format '{{.CurrentState}}' "${STACK}_zipkin" 2>/dev/null | grep -c '^Running')" = 1 ]
}

# One running task of SERVICE, as "TASK-ID NODE CONTAINER-ID".
running_task() {
  local service=$1 task
  task=$(manager_docker service ps "${STACK}_$service" --filter desired-state=running --format '{{.ID}}' | head -1)
  manager_docker inspect -f '{{.NodeID}} {{.Status.ContainerStatus.ContainerID}}' "$task" |
    while read -r node_id container; do
      echo "$task $(manager_docker node inspect -f '{{.Description.Hostname}}' "$node_id") $container"
    done
}

# How many tasks of SERVICE are running (healthy, where it has a check) on nodes other than EXCLUDED.
running_tasks() {
  manager_docker service ps "${STACK}_$1" --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' |
    awk -v excluded="${2:-}" '$1 != excluded && $2 == "Running"' | wc -l
}

# Where SERVICE's running tasks are, e.g. "m1 w1".
placement() {
  manager_docker service ps "${STACK}_$1" --filter desired-state=running --format '{{.Node}}' | sort | tr '\n' ' '
}

# Before a drill kills or cuts off NODE: ask another manager from then on, if NODE was the one asked.
use_manager_other_than() {
  local node
  [ "$MANAGER" = "$1" ] || return 0
  for node in "${SWARM_NODES[@]}"; do
    [ "$node" != "$1" ] || continue
    if [ "$(node_docker "$node" info -f '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then
      MANAGER=$node
      return 0
    fi
  done
  echo "no manager but $1: with MANAGERS=1, losing it leaves the swarm without a control plane" >&2
  return 1
}

# The address of SERVICE's primary as the Sentinels reachable from NODE (any node but EXCLUDED) say.
primary_address() {
  local service=$1 excluded=${2:-} node container answer
  for node in "${SWARM_NODES[@]}"; do
    [ "$node" != "$excluded" ] || continue
    container=$(node_docker "$node" ps -q -f "label=com.docker.swarm.service.name=${STACK}_$service-sentinel" 2>/dev/null | head -1)
    [ -n "$container" ] || continue
    answer=$(node_docker "$node" exec "$container" redis-cli -p 26379 SENTINEL GET-MASTER-ADDR-BY-NAME "$service" 2>/dev/null | head -1)
    if [ -n "$answer" ]; then
      echo "$answer"
      return 0
    fi
  done
}

# The node whose Redis task has ADDRESS, and that task's container, as "NODE CONTAINER"; nothing when none runs it.
redis_task_at() {
  local service=$1 address=$2 node container
  for node in "${SWARM_NODES[@]}"; do
    for container in $(node_docker "$node" ps -q -f "label=com.docker.swarm.service.name=${STACK}_$service-redis" 2>/dev/null); do
      if node_docker "$node" inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$container" 2>/dev/null |
        tr ' ' '\n' | grep -qx "$address"; then
        echo "$node $container"
        return 0
      fi
    done
  done
}

# Which node holds SERVICE's primary ("gone" when the Sentinels name one no node runs); EXCLUDED as above.
primary_node() {
  local address
  address=$(primary_address "$1" "${2:-}")
  [ -n "$address" ] || { echo unknown; return 0; }
  read -r node _ < <(redis_task_at "$1" "$address"; echo gone)
  echo "$node"
}

# Every data service's primary: "customers@m1 products@w1 invoices@w1".
primaries() {
  local service
  for service in "${DATA_SERVICES[@]}"; do printf '%s@%s ' "$service" "$(primary_node "$service" "${1:-}")"; done
}

# moved_services BEFORE AFTER: the data services whose primary is on another node in AFTER than in BEFORE.
moved_services() {
  local service
  for service in "${DATA_SERVICES[@]}"; do
    if [ "$(tr ' ' '\n' <<<"$1" | grep "^$service@")" != "$(tr ' ' '\n' <<<"$2" | grep "^$service@")" ]; then
      printf '%s ' "$service"
    fi
  done
}

# Waits until every data service has a primary on a running node, seen from nodes other than EXCLUDED.
wait_primaries() {
  primaries_known() { ! primaries "${1:-}" | grep -q '@\(unknown\|gone\)'; }
  wait_until "${2:-60}" "every data service to have a primary" primaries_known "${1:-}"
}

# The identity of each data service's Sentinel on NODE: "customers:ID products:ID invoices:ID".
sentinel_ids() {
  local service container
  for service in "${DATA_SERVICES[@]}"; do
    container=$(node_docker "$1" ps -q -f "label=com.docker.swarm.service.name=${STACK}_$service-sentinel" 2>/dev/null | head -1)
    printf '%s:%s ' "$service" "$([ -z "$container" ] || node_docker "$1" exec "$container" redis-cli -p 26379 SENTINEL MYID 2>/dev/null)"
  done
}

# Whether every Sentinel knows exactly the two others (one that came back under a new identity would count twice).
sentinels_know_each_other_once() {
  local node service container others
  for node in "${SWARM_NODES[@]}"; do
    for service in "${DATA_SERVICES[@]}"; do
      container=$(node_docker "$node" ps -q -f "label=com.docker.swarm.service.name=${STACK}_$service-sentinel" 2>/dev/null | head -1)
      [ -n "$container" ] || return 1
      others=$(node_docker "$node" exec "$container" redis-cli -p 26379 SENTINEL MASTER "$service" 2>/dev/null |
        grep -A1 '^num-other-sentinels$' | tail -1)
      [ "$others" = 2 ] || return 1
    done
  done
}

# What every Redis server of each SERVICE (every data service by default) says of its replication, in
# one line: "invoices: m1 primary 2 online, w1 replica of 10.200.1.4 link up, w2 replica of 10.200.1.4
# link down syncing; ...". A server whose link is not up adds the last line it logged: why a drill
# found replicas out of sync.
replication_states() {
  local service node container info
  for service in "${@:-${DATA_SERVICES[@]}}"; do
    printf '%s: ' "$service"
    for node in "${SWARM_NODES[@]}"; do
      container=$(node_docker "$node" ps -q -f "label=com.docker.swarm.service.name=${STACK}_$service-redis" 2>/dev/null | head -1)
      if [ -z "$container" ]; then
        echo "$node none"
        continue
      fi
      info=$(node_docker "$node" exec "$container" redis-cli INFO replication 2>/dev/null | tr -d '\r')
      case "$(sed -n 's/^role://p' <<<"$info")" in
        master) echo "$node primary $(grep -c 'state=online' <<<"$info") online" ;;
        slave)
          printf '%s replica of %s link %s%s' "$node" "$(sed -n 's/^master_host://p' <<<"$info")" \
            "$(sed -n 's/^master_link_status://p' <<<"$info")" "$(grep -q '^master_sync_in_progress:1' <<<"$info" && echo ' syncing')"
          if ! grep -q '^master_link_status:up' <<<"$info"; then
            printf ' (last logged: %s)' "$(node_docker "$node" logs --tail 1 "$container" 2>&1 | cut -c1-160)"
          fi
          echo
          ;;
        *) echo "$node not answering" ;;
      esac
    done | awk 'NR > 1 { printf ", " } { printf "%s", $0 }'
    printf '; '
  done
}

# Before a drill takes a data service's server away: each primary has its two replicas in sync, so
# that what the drill measures is one loss, not the one an earlier drill left unrepaired.
wait_replicas_in_sync_before() {
  if ! wait_until 240 "every primary to have both replicas in sync before the drill" replicas_in_sync; then
    echo "  not every primary has two replicas in sync before the drill, 240 s on: $(replication_states)"
  fi
}

# Whether the primary of each SERVICE (every data service by default) has both its replicas in sync.
replicas_in_sync() {
  local service node container
  for service in "${@:-${DATA_SERVICES[@]}}"; do
    read -r node container < <(redis_task_at "$service" "$(primary_address "$service")")
    [ -n "${container:-}" ] || return 1
    [ "$(node_docker "$node" exec "$container" redis-cli INFO replication | grep -c 'state=online')" -ge 2 ] || return 1
  done
}
