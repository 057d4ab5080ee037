#!/usr/bin/env bash
# Drill: kill worker w2 entirely (its daemon and every process of its containers, as
# `docker-machine kill` does) under steady load. Swarm must mark it down and start its tasks on m1
# and w1; the gateway keeps answering, within the budget (DRILL_MAX_FAILURES, 20); every invoice
# acknowledged is readable afterwards. Then w2 comes back and `service update --force` spreads the
# services over all three nodes again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VICTIM=w2

kill_victim() {
  if [ "$SWARM" = lab ]; then "$SWARM_ROOT/scripts/swarm-lab.sh" kill-node "$VICTIM" >/dev/null; else docker-machine kill "$VICTIM" >/dev/null; fi
}
revive_victim() {
  if [ "$SWARM" = lab ]; then "$SWARM_ROOT/scripts/swarm-lab.sh" revive-node "$VICTIM" >/dev/null; else docker-machine start "$VICTIM" >/dev/null; fi
}
node_is() { [ "$(manager_docker node inspect -f '{{.Status.State}}' "$VICTIM")" = "$1" ]; }
back_to_strength() { [ "$(running_tasks "$1" "$VICTIM")" -ge "$2" ]; }
tasks_on_victim() {
  local service
  for service in "${APP_SERVICES[@]}"; do
    placement "$service" | tr ' ' '\n' | grep -c "^$VICTIM$" | sed "s/^/$service /"
  done | awk '$2 > 0 { printf "%s%s x%d", sep, $1, $2; sep = ", " }'
}
rebalance() {
  local service
  for service in "$@"; do
    manager_docker service update --detach --quiet --force "${STACK}_$service" >/dev/null
  done
  for service in "$@"; do
    state=$(wait_update_done "$service" 300)
    [ "$state" = completed ] || problem "rebalancing $service ended '$state'"
  done
}

# The drill means something only if w2 runs tasks: spread the stack first when it does not.
if [ -z "$(tasks_on_victim)" ]; then
  echo "no task on $VICTIM yet: spreading the services first"
  rebalance "${APP_SERVICES[@]}"
fi

drill_start kill-node "${DRILL_MAX_FAILURES:-20}"
step "tasks on $VICTIM: $(tasks_on_victim)"
step "killing node $VICTIM"
t=$(now)
kill_victim
wait_until 120 "the manager to mark $VICTIM down" node_is down
step "the manager marked $VICTIM down after $(since "$t")s"
# A down node's tasks still count as running until Swarm replaces them: count only the other nodes.
for service in "${APP_SERVICES[@]}"; do
  wanted=$(manager_docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_$service")
  wait_until 240 "$service to run $wanted tasks without $VICTIM" back_to_strength "$service" "$wanted" ||
    problem "$service did not get back to $wanted running tasks without $VICTIM"
done
step "every service back to full strength without $VICTIM after $(since "$t")s"
for service in "${APP_SERVICES[@]}"; do step "  $service on: $(placement "$service")"; done

sleep 5
step "reviving node $VICTIM"
t=$(now)
revive_victim
wait_until 120 "$VICTIM to be ready again" node_is ready
step "$VICTIM ready again after $(since "$t")s; Swarm does not move running tasks back by itself"
t=$(now)
rebalance "${APP_SERVICES[@]}"
wait_converged 240
step "rebalanced with update --force in $(since "$t")s; tasks on $VICTIM: $(tasks_on_victim)"
[ -n "$(tasks_on_victim)" ] || problem "no task went back to $VICTIM"
drill_finish 5
