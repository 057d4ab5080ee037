#!/usr/bin/env bash
# Drill: kill one customers container (SIGKILL, no drain) under steady load. Swarm must start a
# replacement; the gateway's retries and circuits keep the failures within the budget
# (DRILL_MAX_FAILURES, 10), and no acknowledged invoice may be lost.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

drill_start kill-container "${DRILL_MAX_FAILURES:-10}"
read -r task node container < <(running_task customers)
step "killing customers container ${container:0:12} on $node"
t=$(now)
node_docker "$node" kill "$container" >/dev/null
# Swarm sees the task fail, then starts a new one, which counts once its health check passes.
task_stopped() { [ "$(manager_docker inspect -f '{{.Status.State}}' "$task")" != running ]; }
wait_until 60 "Swarm to see the killed task $task stop" task_stopped
step "Swarm saw the task $(manager_docker inspect -f '{{.Status.State}}' "$task") after $(since "$t")s"
sleep 1
wait_replicas customers 2
step "2 healthy replicas again after $(since "$t")s, on: $(placement customers)"
drill_finish 10
