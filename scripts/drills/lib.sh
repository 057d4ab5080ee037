# What every drill shares: the load driver (drills/target/drills.jar) started in the background
# through the gateway, checks on what the swarm does, and one verdict at the end. Sourced by the drills.
#
# Settings (environment): SWARM (lab) and STACK (swarmshop) as for deploy.sh; DRILL_RATE (40 requests
# per second); DRILL_WARMUP (10 seconds of load before the drill acts); DRILL_DIR (target/drills),
# where each drill leaves its report.json and load.log.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/apt.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/swarm.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/services.sh"

DRILL_RATE=${DRILL_RATE:-40}
DRILL_WARMUP=${DRILL_WARMUP:-10}
DRILL_DIR=${DRILL_DIR:-$SWARM_ROOT/target/drills}
DRILL_JAR=$SWARM_ROOT/drills/target/drills.jar
GATEWAY=$(gateway_url)
DRILL_PROBLEMS=()
apt_install jq jq
LOAD_PID=

# drill_start NAME MAX_FAILURES: starts the load; every request after this counts against the budget.
drill_start() {
  DRILL_NAME=$1
  DRILL_MAX_FAILURES=$2
  if [ ! -s "$DRILL_JAR" ]; then
    (cd "$SWARM_ROOT" && mvn -q -B package -DskipTests -pl drills -am)
  fi
  DRILL_OUT=$DRILL_DIR/$DRILL_NAME
  rm -rf "$DRILL_OUT"
  mkdir -p "$DRILL_OUT"
  java -jar "$DRILL_JAR" --name "$DRILL_NAME" --gateway "$GATEWAY" --rate "$DRILL_RATE" \
    --stop-file "$DRILL_OUT/stop" --max-failures "$DRILL_MAX_FAILURES" --report "$DRILL_OUT/report.json" \
    --warmup-seconds "$DRILL_WARMUP" >"$DRILL_OUT/load.log" 2>&1 &
  LOAD_PID=$!
  trap drill_abort EXIT
  # The driver first creates its customers and products, then says it has started.
  driver_started() { [ -e "$DRILL_OUT/stop.started" ] || ! kill -0 "$LOAD_PID" 2>/dev/null; }
  wait_until 180 "the load driver to create its customers and products" driver_started
  echo "drill $DRILL_NAME on $SWARM: $DRILL_RATE requests/s through $GATEWAY; warming up ${DRILL_WARMUP}s"
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

# step MESSAGE: one line of what the drill does, stamped with the seconds since the drill began.
step() { printf '  [%6ss] %s\n' "$(since "$DRILL_T0")" "$*"; }

problem() {
  DRILL_PROBLEMS+=("$*")
  step "PROBLEM: $*"
}

# drill_finish: stops the load, audits, prints the summary; exits non-zero on any problem or breach.
drill_finish() {
  sleep "${1:-5}"
  touch "$DRILL_OUT/stop"
  local status=0
  wait "$LOAD_PID" || status=$?
  LOAD_PID=
  trap - EXIT
  grep -v '^SLF4J' "$DRILL_OUT/load.log"
  local problem
  for problem in "${DRILL_PROBLEMS[@]}"; do
    echo "  drill problem: $problem"
  done
  if [ "$status" != 0 ] || ((${#DRILL_PROBLEMS[@]})); then
    echo "drill $DRILL_NAME: FAILED"
    exit 1
  fi
  echo "drill $DRILL_NAME: PASSED"
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

# Any one customer's id, for reads through the gateway.
some_customer_id() {
  curl -fsS -m 3 "$GATEWAY/api/customers?limit=1" | jq -r '.items[0].id'
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
