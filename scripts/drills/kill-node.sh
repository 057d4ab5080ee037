#!/usr/bin/env bash
# Drill: kill one node entirely (its daemon and every process of its containers, as
# `docker-machine kill` does) under steady load through the gateway on every node. Any node may go:
# each data service's Redis has a replica on the others, which the Sentinels promote when the node
# held the primary; the swarm starts the node's tasks elsewhere (with MANAGERS=3 also when the node
# was a manager, m1 included). With one manager, killing m1 leaves the running tasks serving, but
# nothing is rescheduled until it is back: the drill then watches for HEADLESS_SECONDS (60).
# Budgets: nothing acknowledged is lost, a moved primary's writes fail for 10 s at most, every other
# service stays at 99 % answered 2xx. Then the node comes back, its Redis servers rejoin as
# replicas, its Sentinels come back as themselves, and every service one node runs more than its
# share of (ceil(replicas / ready nodes) tasks) is spread again with `service update --force`, one
# after the other. Swarm starts a lost node's tasks on the nodes with the fewest of them, so a
# service of 2 replicas is on two nodes, one task each, and has nothing to move. Prometheus must
# have seen the node's InstanceDown fire and resolve.
#
#   scripts/drills/kill-node.sh [NODE]    NODE: m1, w1 or w2 (w2)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VICTIM=${1:-w2}
case " ${SWARM_NODES[*]} " in *" $VICTIM "*) ;; *) echo "unknown node '$VICTIM': one of ${SWARM_NODES[*]}" >&2; exit 2 ;; esac

kill_victim() {
  if [ "$SWARM" = lab ]; then "$SWARM_ROOT/scripts/swarm-lab.sh" kill-node "$VICTIM" >/dev/null; else docker-machine kill "$VICTIM" >/dev/null; fi
}
revive_victim() {
  if [ "$SWARM" = lab ]; then "$SWARM_ROOT/scripts/swarm-lab.sh" revive-node "$VICTIM" >/dev/null; else docker-machine start "$VICTIM" >/dev/null; fi
}
node_is() { [ "$(manager_docker node inspect -f '{{.Status.State}}' "$VICTIM")" = "$1" ]; }
back_to_strength() { [ "$(running_tasks "$1" "$VICTIM")" -ge "$2" ]; }
# What each node but EXCLUDED runs of the app services, as its own daemon says (no manager needed).
tasks_running_without() {
  local node service
  for service in "${APP_SERVICES[@]}"; do
    printf '%s' "$service"
    for node in "${SWARM_NODES[@]}"; do
      [ "$node" != "$1" ] || continue
      printf ' %s x%s' "$node" "$(node_docker "$node" ps -q -f "label=com.docker.swarm.service.name=${STACK}_$service" | wc -l)"
    done
    printf '; '
  done
}
tasks_on_victim() {
  local service
  for service in "${APP_SERVICES[@]}"; do
    placement "$service" | tr ' ' '\n' | grep -c "^$VICTIM$" | sed "s/^/$service /"
  done | awk '$2 > 0 { printf "%s%s x%d", sep, $1, $2; sep = ", " }'
}
# One service at a time, as an operator would: every forced update starts a JVM per replica, and
# all of them at once on the 2-core lab starve the nodes (answers past the gateway's limits).
rebalance() {
  local service state
  for service in "$@"; do
    manager_docker service update --detach --quiet --force "${STACK}_$service" >/dev/null
    state=$(wait_update_done "$service" 300)
    [ "$state" = completed ] || problem "rebalancing $service ended '$state'"
  done
}
# crowded SERVICE...: those of the services of which one node runs more tasks than its share.
crowded() {
  local nodes service replicas most
  nodes=$(manager_docker node ls --format '{{.Status}} {{.Availability}}' | grep -c '^Ready Active$')
  for service in "$@"; do
    replicas=$(manager_docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_$service")
    most=$(placement "$service" | tr ' ' '\n' | grep -v '^$' | uniq -c | awk '$1 > most { most = $1 } END { print most + 0 }')
    if ((most > (replicas + nodes - 1) / nodes)); then echo "$service"; fi
  done
}

# The drill means something only if the node runs tasks: spread the stack first when it does not.
if [ -z "$(tasks_on_victim)" ]; then
  echo "no task on $VICTIM yet: spreading the services first"
  rebalance "${APP_SERVICES[@]}"
fi

wait_replicas_in_sync_before
drill_start "kill-node-$VICTIM" 1000000
before=$(primaries)
identities=$(sentinel_ids "$VICTIM")
step "primaries: $before; tasks on $VICTIM: $(tasks_on_victim)"
headless=
if ! use_manager_other_than "$VICTIM" 2>/dev/null; then
  headless=1
  step "$VICTIM is the only manager: while it is down nothing can be rescheduled"
fi
step "killing node $VICTIM"
t=$(now)
drill_fault
kill_victim
if [ -z "$headless" ]; then
  wait_until 120 "the manager to mark $VICTIM down" node_is down
  step "the manager ($MANAGER) marked $VICTIM down after $(since "$t")s"
fi
wait_primaries "$VICTIM" 60 || problem "a data service had no primary 60s after $VICTIM was killed"
after=$(primaries "$VICTIM")
step "primaries after $(since "$t")s: $after"
if [ -n "$headless" ]; then
  sleep "${HEADLESS_SECONDS:-60}"
  step "after $(since "$t")s without a manager, tasks running on the other nodes: $(tasks_running_without "$VICTIM")"
else
  # A down node's tasks still count as running until Swarm replaces them: count only the other nodes.
  for service in "${APP_SERVICES[@]}"; do
    wanted=$(manager_docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_$service")
    wait_until 240 "$service to run $wanted tasks without $VICTIM" back_to_strength "$service" "$wanted" ||
      problem "$service did not get back to $wanted running tasks without $VICTIM"
  done
  step "every service back to full strength without $VICTIM after $(since "$t")s"
  for service in "${APP_SERVICES[@]}"; do step "  $service on: $(placement "$service")"; done
fi

sleep 5
# The node stays down until Prometheus has seen it so (a Prometheus that ran on it starts anew elsewhere).
if [ -z "$headless" ]; then
  wait_alert_firing InstanceDown node "$VICTIM"
fi
step "reviving node $VICTIM"
t=$(now)
revive_victim
wait_until 120 "$VICTIM to be ready again" node_is ready
step "$VICTIM ready again after $(since "$t")s; Swarm does not move running tasks back by itself"
if wait_until 240 "every primary to have both replicas in sync again" replicas_in_sync; then
  step "every primary has two replicas in sync after $(since "$t")s: $(primaries)"
else
  problem "the Redis servers on $VICTIM did not rejoin as replicas in sync within 240 s: $(replication_states)"
fi
same_identities() { [ "$(sentinel_ids "$VICTIM")" = "$identities" ]; }
wait_until 60 "the Sentinels on $VICTIM to be back under their own identities" same_identities ||
  problem "the Sentinels on $VICTIM came back as $(sentinel_ids "$VICTIM"), not as $identities"
wait_until 60 "every Sentinel to know the two others, once each" sentinels_know_each_other_once ||
  problem "a Sentinel does not know exactly two others"
step "the Sentinels on $VICTIM are back with the state they had, each knowing the two others"
uneven=$(crowded "${APP_SERVICES[@]}")
if [ -n "$uneven" ]; then
  t=$(now)
  # shellcheck disable=SC2086
  rebalance $uneven
  wait_converged 240
  step "rebalanced $(echo $uneven) with update --force in $(since "$t")s; tasks on $VICTIM: $(tasks_on_victim)"
  uneven=$(crowded "${APP_SERVICES[@]}")
  [ -z "$uneven" ] || problem "still more than their share on one node: $(echo $uneven)"
else
  step "balanced: no node runs more than its share of any service ($(for service in "${APP_SERVICES[@]}"; do printf '%s on %s, ' "$service" "$(placement "$service" | xargs)"; done | sed 's/, $//')), nothing to move"
fi
# With one manager, Prometheus (on it) went down with it and nothing started it elsewhere.
if [ -z "$headless" ]; then
  expect_alert_resolved InstanceDown node "$VICTIM"
else
  step "Prometheus ran on $VICTIM, the only manager: it saw nothing while the node was down"
fi
DRILL_VICTIM_ENTRY=http://$(node_address "$VICTIM")
# shellcheck disable=SC2046
drill_finish 5 $(moved_services "$before" "$after")
