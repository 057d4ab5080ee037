#!/usr/bin/env bash
# Drill: a rolling update of customers and then of invoices to a new image tag under steady load,
# one task at a time, each new task started and healthy before the old one drains. No request may
# fail and no acknowledged invoice may be lost.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

REGISTRY=${REGISTRY:-swarmshop}
TAG=${TAG:-latest}
NEW_TAG=drill-$(date +%Y%m%d%H%M%S)

# The new version is the current image under a new tag, present on every node (or pushed).
for service in customers invoices; do
  for node in "${SWARM_NODES[@]}"; do
    if [ -z "${PUSH:-}" ] || [ "$node" = m1 ]; then
      node_docker "$node" tag "$REGISTRY/$service:$TAG" "$REGISTRY/$service:$NEW_TAG"
    fi
  done
  if [ -n "${PUSH:-}" ]; then manager_docker push "$REGISTRY/$service:$NEW_TAG" >/dev/null; fi
done
resolve=(--no-resolve-image)
if [ -n "${PUSH:-}" ]; then resolve=(); fi

drill_start rolling-update 0
for service in customers invoices; do
  step "updating $service to $REGISTRY/$service:$NEW_TAG"
  t=$(now)
  manager_docker service update "${resolve[@]}" --detach --quiet --image "$REGISTRY/$service:$NEW_TAG" \
    "${STACK}_$service" >/dev/null
  # Swarm calls the update completed once the last new task has stayed healthy through its monitor window.
  state=$(wait_update_done "$service" 300)
  image=$(manager_docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_$service")
  step "$service update $state after $(since "$t")s; tasks on: $(placement "$service")"
  if [ "$state" != completed ] || [ "${image%%@*}" != "$REGISTRY/$service:$NEW_TAG" ]; then
    problem "$service update ended '$state' with image $image"
  fi
done
drill_finish 5
