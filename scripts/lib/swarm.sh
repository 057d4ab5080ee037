# Which swarm the scripts act on, and how to reach its nodes. Sourced by deploy.sh and the drills.
#
# SWARM=lab (the default) is the three-node lab of scripts/swarm-lab.sh; SWARM=machines is the
# docker-machine swarm of scripts/swarm-machines.sh. Both have nodes m1, w1 and w2; m1 is a manager,
# and with MANAGERS=3 so are w1 and w2.

SWARM=${SWARM:-lab}
STACK=${STACK:-swarmshop}
SWARM_NODES=(m1 w1 w2)
SWARM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

case "$SWARM" in
  lab | machines) ;;
  *) echo "SWARM must be 'lab' or 'machines', got '$SWARM'" >&2; exit 2 ;;
esac

# docker against node N.
node_docker() {
  local node=$1
  shift
  if [ "$SWARM" = lab ]; then
    "$SWARM_ROOT/scripts/swarm-lab.sh" docker "$node" "$@"
  else
    # shellcheck disable=SC2046
    docker $(docker-machine config "$node") "$@"
  fi
}

# docker against the manager the scripts ask: MANAGER (m1); a drill that takes m1 away picks another.
MANAGER=${MANAGER:-m1}

manager_docker() { node_docker "$MANAGER" "$@"; }

# docker service logs ARGS... on the manager, cut after LOGS_SECONDS (60): a listing can hang for good
# (seen in a local CI run: 12 minutes, on a service whose tasks had just been replaced). Exits 124 when
# cut. node_docker's two ways, spelled out, as timeout runs a command, not a function.
service_logs() {
  if [ "$SWARM" = lab ]; then
    timeout "${LOGS_SECONDS:-60}" "$SWARM_ROOT/scripts/swarm-lab.sh" docker "$MANAGER" service logs "$@"
  else
    # shellcheck disable=SC2046
    timeout "${LOGS_SECONDS:-60}" docker $(docker-machine config "$MANAGER") service logs "$@"
  fi
}

node_address() {
  if [ "$SWARM" = lab ]; then
    "$SWARM_ROOT/scripts/swarm-lab.sh" ip "$1"
  else
    docker-machine ip "$1"
  fi
}

# Where users (and the drills) reach the gateway: port 80 of every node, one URL per line.
gateway_entries() {
  local node
  for node in "${SWARM_NODES[@]}"; do echo "http://$(node_address "$node")"; done
}

# task_entry SERVICE PORT: the URL of a one-task service's published PORT on the node its task runs
# on (any node where the routing mesh publishes it, but in the lab only that one).
task_entry() {
  local node
  node=$(manager_docker service ps --filter desired-state=running --format '{{.Node}}' "${STACK}_$1" 2>/dev/null | head -1)
  echo "http://$(node_address "${node:-$MANAGER}"):$2"
}

# Zipkin's UI and API, Prometheus's.
zipkin_entry() { task_entry zipkin 9411; }
prometheus_entry() { task_entry prometheus 9090; }

# prom_query EXPR: the series of an instant query on the stack's Prometheus, as a JSON array (empty
# when Prometheus does not answer).
prom_query() {
  curl -fsS -m 10 "$(prometheus_entry)/api/v1/query" --data-urlencode "query=$1" 2>/dev/null | jq -c '.data.result' 2>/dev/null ||
    echo '[]'
}

# The stack files: the lab adds its override (host-mode ports, as it has no routing mesh).
stack_file_args() {
  echo "-c $SWARM_ROOT/stack.yml"
  if [ "$SWARM" = lab ]; then
    echo "-c $SWARM_ROOT/stack.lab.yml"
  fi
}

# wait_until SECONDS WHAT COMMAND...: runs COMMAND every half second until it succeeds; after SECONDS
# gives up, saying on stderr what it waited for, and fails.
wait_until() {
  local timeout=$1 what=$2 started=$SECONDS
  shift 2
  until "$@"; do
    if ((SECONDS - started >= timeout)); then
      echo "gave up after ${timeout}s waiting for $what" >&2
      return 1
    fi
    sleep 0.5
  done
}

# The stack's services as "name running/desired", one per line.
service_replicas() {
  manager_docker service ls --filter "label=com.docker.stack.namespace=$STACK" --format '{{.Name}} {{.Replicas}}'
}

# Waits until every service of the stack runs all its replicas; TIMEOUT seconds (300) at most.
wait_converged() {
  local timeout=${1:-300} started=$SECONDS pending
  while true; do
    pending=$(service_replicas | awk '{ split($2, r, "/"); if (r[1] != r[2]) print $1 " " $2 }')
    if [ -n "$(service_replicas)" ] && [ -z "$pending" ]; then
      return 0
    fi
    if ((SECONDS - started > timeout)); then
      echo "not converged after ${timeout}s:" >&2
      echo "$pending" >&2
      return 1
    fi
    sleep 1
  done
}

# Whether SERVICE runs exactly N tasks.
runs_replicas() {
  [ "$(service_replicas | awk -v name="${STACK}_$1" '$1 == name { print $2 }')" = "$2/$2" ]
}

# Waits until SERVICE runs exactly N tasks; TIMEOUT seconds (180) at most.
wait_replicas() {
  wait_until "${3:-180}" "$1 to run $2 replicas" runs_replicas "$1" "$2"
}

# Waits until the running update of SERVICE ends; prints how it ended (completed, rollback_completed,
# paused...). TIMEOUT seconds (300) at most.
wait_update_done() {
  local service=$1 timeout=${2:-300} started=$SECONDS state
  while true; do
    state=$(manager_docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "${STACK}_$service")
    case "$state" in
      updating | rollback_started | "") ;;
      *) echo "$state"; return 0 ;;
    esac
    if ((SECONDS - started > timeout)); then
      echo "still-$state"
      return 0
    fi
    sleep 1
  done
}
