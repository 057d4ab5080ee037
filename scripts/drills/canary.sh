#!/usr/bin/env bash
# Drill: a canary release of customers under steady load, with scripts/canary.sh.
#   canary.sh good: a new tag of the same image through every step to promotion; no request may fail,
#     and at each step the canary's measured share is within 5 points of its weight.
#   canary.sh bad: the canary fails a fifth of its requests (FAULT_ERROR_PERCENT=20); it must be rolled
#     back at its first step (10 %), and clients see at most DRILL_MAX_FAILURES (40) failures: the
#     gateway sends what may be sent again on to stable, so only POSTs without an Idempotency-Key fail.
# CANARY_STEPS and CANARY_HOLD_SECONDS as for scripts/canary.sh (the good drill: "20 100", 20 s).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KIND=${1:-good}
REGISTRY=${REGISTRY:-swarmshop}
TAG=${TAG:-latest}
NEW_TAG=canary-$(date +%Y%m%d%H%M%S)
export CANARY_STEPS=${CANARY_STEPS:-20 100} CANARY_HOLD_SECONDS=${CANARY_HOLD_SECONDS:-20}
for node in "${SWARM_NODES[@]}"; do
  if [ -z "${PUSH:-}" ] || [ "$node" = m1 ]; then
    node_docker "$node" tag "$REGISTRY/customers:$TAG" "$REGISTRY/customers:$NEW_TAG"
  fi
done
if [ -n "${PUSH:-}" ]; then manager_docker push "$REGISTRY/customers:$NEW_TAG" >/dev/null; fi

case "$KIND" in
  good) drill_start canary-good 0 ;;
  bad)
    export CANARY_STEPS=10 CANARY_ENV=FAULT_ERROR_PERCENT=20
    drill_start canary-bad "${DRILL_MAX_FAILURES:-40}"
    ;;
  *) echo "usage: $0 [good|bad]" >&2; exit 2 ;;
esac
before=$(manager_docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_customers" | cut -d@ -f1)
report=$DRILL_OUT/canary-steps.txt
step "scripts/canary.sh customers $NEW_TAG (steps: $CANARY_STEPS %)"
status=0
CANARY_REPORT=$report "$SWARM_ROOT/scripts/canary.sh" customers "$NEW_TAG" 2>&1 | sed -u 's/^/    /' || status=$?
after=$(manager_docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_customers" | cut -d@ -f1)
canary_tasks=$(manager_docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_customers-canary")
weight=$(manager_docker service inspect -f '{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{println .}}{{end}}' "${STACK}_gateway" |
  sed -n 's/^CUSTOMERS_CANARY_PERCENT=//p')
step "canary.sh exited $status; customers runs $after; canary replicas: $canary_tasks; gateway's CUSTOMERS_CANARY_PERCENT: ${weight:-unset}"
[ "$canary_tasks" = 0 ] || problem "the canary still runs $canary_tasks replica(s)"
[ "${weight:-0}" = 0 ] || problem "the canary's share is still $weight %"
if [ "$KIND" = good ]; then
  [ "$status" = 0 ] || problem "the release was not promoted (exit $status)"
  [ "$after" = "$REGISTRY/customers:$NEW_TAG" ] || problem "customers runs $after, not the canary's tag"
  while read -r wanted share _; do
    awk -v w="$wanted" -v s="$share" 'BEGIN { exit !(s < w - 5 || s > w + 5) }' &&
      problem "at the $wanted % step the canary got $share % of the requests"
  done <"$report"
else
  [ "$status" != 0 ] || problem "a canary failing a fifth of its requests was promoted"
  [ "$after" = "$before" ] || problem "customers runs $after after a rollback, not $before"
  [ "$(wc -l <"$report")" = 1 ] || problem "the rollback came after $(wc -l <"$report") steps, not at the first"
fi
drill_finish 5
