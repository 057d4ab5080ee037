#!/usr/bin/env bash
# Deploys the stack on a swarm: builds the images on the manager, makes them available on every
# node, deploys stack.yml, waits until every service runs all its replicas healthy, and prints where
# to open the webapp, Grafana, Prometheus, Alertmanager, Zipkin and the visualizer. Makes Grafana's
# admin password (the secret grafana-admin-password) on the first deploy, and prints it then.
#
#   SWARM=lab scripts/deploy.sh         the three-node lab (scripts/swarm-lab.sh up first)
#   SWARM=machines scripts/deploy.sh    the docker-machine swarm (scripts/swarm-machines.sh first)
#
# Images reach the nodes in one of two ways: PUSH=1 pushes them to REGISTRY (a registry every node
# can pull from); otherwise they are copied to each node with docker save | docker load, which needs
# no registry at all. Settings (environment): REGISTRY (swarmshop), TAG (latest), BASE_IMAGE and
# REDIS_BASE_IMAGE (in the lab: the local Debian image of swarm-lab.sh base-image), SKIP_BUILD=1 deploys the images already
# on the manager, DEPLOY_TIMEOUT (300 seconds).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib/apt.sh"
. "$ROOT/scripts/lib/swarm.sh"
. "$ROOT/scripts/lib/services.sh"

export REGISTRY=${REGISTRY:-swarmshop}
export TAG=${TAG:-latest}
DEPLOY_TIMEOUT=${DEPLOY_TIMEOUT:-300}
deploy_args=()
apt_install jq jq

if [ "$SWARM" = lab ]; then
  # Nothing can be pulled in the lab: the images, Redis's too, are built on the local base image,
  # and the visualizer (pulled from Docker Hub) runs only if its image is there.
  export BASE_IMAGE=${BASE_IMAGE:-$("$ROOT/scripts/swarm-lab.sh" base-image-name)}
  export REDIS_BASE_IMAGE=${REDIS_BASE_IMAGE:-$BASE_IMAGE}
  # Zipkin too, from its jar on Maven Central, and the monitoring programs from Debian's packages.
  export ZIPKIN_BASE_IMAGE=${ZIPKIN_BASE_IMAGE:-$BASE_IMAGE}
  export ZIPKIN_IMAGE=${ZIPKIN_IMAGE:-$REGISTRY/zipkin:$TAG}
  export MONITORING_BASE_IMAGE=${MONITORING_BASE_IMAGE:-$BASE_IMAGE}
  export PROMETHEUS_IMAGE=${PROMETHEUS_IMAGE:-$REGISTRY/prometheus:$TAG}
  export ALERTMANAGER_IMAGE=${ALERTMANAGER_IMAGE:-$REGISTRY/alertmanager:$TAG}
  export NODE_EXPORTER_IMAGE=${NODE_EXPORTER_IMAGE:-$REGISTRY/node-exporter:$TAG}
  export REDIS_EXPORTER_IMAGE=${REDIS_EXPORTER_IMAGE:-$REGISTRY/redis-exporter:$TAG}
  # Grafana is in neither Debian nor Maven Central: it runs where its image is (the e2e run checks
  # its dashboards' queries against Prometheus instead).
  if ! manager_docker image inspect "${GRAFANA_IMAGE:-grafana/grafana:11.3.1}" >/dev/null 2>&1; then
    export GRAFANA_REPLICAS=${GRAFANA_REPLICAS:-0}
  fi
  if ! manager_docker image inspect "${VISUALIZER_IMAGE:-dockersamples/visualizer:stable}" >/dev/null 2>&1; then
    export VISUALIZER_REPLICAS=${VISUALIZER_REPLICAS:-0}
  fi
  deploy_args+=(--resolve-image never)
fi

images=()
for service in "${SERVICES[@]}" redis; do images+=("$REGISTRY/$service:$TAG"); done
if [ -n "${ZIPKIN_BASE_IMAGE:-}" ]; then images+=("$ZIPKIN_IMAGE"); fi
if [ -n "${MONITORING_BASE_IMAGE:-}" ]; then
  images+=("$PROMETHEUS_IMAGE" "$ALERTMANAGER_IMAGE" "$NODE_EXPORTER_IMAGE" "$REDIS_EXPORTER_IMAGE")
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building the images on m1"
  if [ "$SWARM" = lab ]; then
    "$ROOT/scripts/swarm-lab.sh" base-image
    (eval "$("$ROOT/scripts/swarm-lab.sh" env)" && "$ROOT/scripts/build-images.sh")
  else
    (eval "$(docker-machine env m1)" && "$ROOT/scripts/build-images.sh")
  fi
fi

if [ -n "${PUSH:-}" ]; then
  for image in "${images[@]}"; do manager_docker push "$image"; done
else
  # Copy only to the nodes that lack an image or hold an older one with the same name.
  archive=$(mktemp /var/tmp/swarmshop-images.XXXXXX)
  trap 'rm -f "$archive"' EXIT
  for node in "${SWARM_NODES[@]:1}"; do
    missing=()
    for image in "${images[@]}"; do
      if [ "$(node_docker "$node" image inspect -f '{{.Id}}' "$image" 2>/dev/null)" != \
           "$(manager_docker image inspect -f '{{.Id}}' "$image")" ]; then
        missing+=("$image")
      fi
    done
    if ((${#missing[@]})); then
      echo "copying ${#missing[@]} image(s) to $node"
      manager_docker save "${missing[@]}" >"$archive"
      node_docker "$node" load -q <"$archive" >/dev/null
    fi
  done
fi

# Configs cannot change: each deploy of edited files makes new ones, named by their digest.
CONFIG_VERSION=$(cat "$ROOT"/prometheus/*.yml "${ALERTMANAGER_CONFIG:-/dev/null}" "$ROOT"/grafana/provisioning/*.yml "$ROOT"/grafana/dashboards/*.json |
  sha256sum | cut -c1-12)
export CONFIG_VERSION
if ! manager_docker secret inspect grafana-admin-password >/dev/null 2>&1; then
  password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
  printf '%s' "$password" | manager_docker secret create grafana-admin-password - >/dev/null
  echo "Grafana's admin password (the secret grafana-admin-password; shown this once): $password"
fi

started=$SECONDS
# shellcheck disable=SC2046
if ! output=$(manager_docker stack deploy "${deploy_args[@]}" $(stack_file_args) "$STACK" 2>&1); then
  echo "$output" >&2
  exit 1
fi
echo "deployed stack $STACK; waiting for every service to run all its replicas, healthy"
wait_converged "$DEPLOY_TIMEOUT"
# A redeploy rolls each service one task at a time: the counts can be full while it still does.
updates_done() {
  # shellcheck disable=SC2046
  ! manager_docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' $(service_replicas | awk '{ print $1 }') |
    grep -qx 'updating\|rollback_started'
}
wait_until "$DEPLOY_TIMEOUT" "every service's rolling update to end" updates_done
# Ready for users once the gateway on every node sees every replica of every service it routes to, healthy.
wanted=$(service_replicas | awk -v stack="$STACK" '$1 ~ "^" stack "_(customers|products|invoices|webapp)$" { split($2, r, "/"); n += r[2] } END { print n }')
sees_all_healthy() {
  [ "$(curl -fsS -m 2 "$1/api/status" 2>/dev/null | jq '[.services[].instances[] | select(.healthy)] | length')" -ge "$wanted" ]
}
for entry in $(gateway_entries); do
  wait_until "$DEPLOY_TIMEOUT" "the gateway on $entry to see all $wanted replicas healthy" sees_all_healthy "$entry"
done
service_replicas | sort | sed 's/^/  /'
echo "ready in $((SECONDS - started))s"
echo "webapp:     $(gateway_entries | tr '\n' ' ')(the gateway on every node)"
echo "zipkin:     $(zipkin_entry)/"
echo "prometheus: $(prometheus_entry)/"
echo "alerts:     $(task_entry alertmanager 9093)/"
if [ "${GRAFANA_REPLICAS:-1}" = 0 ]; then
  echo "grafana:    not started (its image is not on the manager)"
else
  echo "grafana:    $(task_entry grafana 3000)/ (anyone may look; admin: the secret grafana-admin-password)"
fi
if [ "${VISUALIZER_REPLICAS:-1}" = 0 ]; then
  echo "visualizer: not started (its image is not on the manager)"
else
  echo "visualizer: http://$(node_address m1):8080/"
fi
