#!/usr/bin/env bash
# The docker-machine swarm of the project's first course (seed 002): m1 the manager, w1 and w2 workers,
# each a VM (with MANAGERS=3 all three are managers). Creates the machines that do not exist yet,
# starts stopped ones, initialises the swarm on m1 and joins the other two.
#
#   scripts/swarm-machines.sh            create (or start) and join; then: SWARM=machines scripts/deploy.sh
#   scripts/swarm-machines.sh rm         remove the three machines
#
# Settings (environment): MANAGERS (1 or 3), MACHINE_DRIVER (virtualbox), MACHINE_MEMORY (3072 MB)
# and MACHINE_CPUS (2) of each VM with the virtualbox driver, MACHINE_OPTS (more `docker-machine
# create` options; with another driver, its own size options). The whole stack's containers use
# about 2.2 GB (README, "Memory"): one node that takes over half of them after another's loss needs
# 1.1 GB and more besides its own Docker, so 3 GB leaves room; the default VM's 1 GB does not.
set -euo pipefail

MANAGERS=${MANAGERS:-1}
MACHINE_DRIVER=${MACHINE_DRIVER:-virtualbox}
MACHINE_MEMORY=${MACHINE_MEMORY:-3072}
MACHINE_CPUS=${MACHINE_CPUS:-2}
MACHINE_OPTS=${MACHINE_OPTS:-}
if [ "$MACHINE_DRIVER" = virtualbox ]; then
  MACHINE_OPTS="--virtualbox-memory $MACHINE_MEMORY --virtualbox-cpu-count $MACHINE_CPUS $MACHINE_OPTS"
fi
NODES=(m1 w1 w2)

command -v docker-machine >/dev/null || {
  echo "docker-machine is missing: see https://github.com/docker/machine/releases" >&2
  exit 1
}
on() {
  local node=$1
  shift
  # shellcheck disable=SC2046
  docker $(docker-machine config "$node") "$@"
}

if [ "${1:-}" = rm ]; then
  docker-machine rm -y "${NODES[@]}"
  exit 0
fi

for node in "${NODES[@]}"; do
  if ! docker-machine status "$node" >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    docker-machine create --driver "$MACHINE_DRIVER" $MACHINE_OPTS "$node"
  elif [ "$(docker-machine status "$node")" != Running ]; then
    docker-machine start "$node"
  fi
done

if [ "$(on m1 info -f '{{.Swarm.LocalNodeState}}')" != active ]; then
  on m1 swarm init --advertise-addr "$(docker-machine ip m1)" >/dev/null
fi
case "$MANAGERS" in
  1) role=worker ;;
  3) role=manager ;;
  *) echo "MANAGERS must be 1 or 3, got '$MANAGERS'" >&2; exit 2 ;;
esac
token=$(on m1 swarm join-token -q "$role")
for node in w1 w2; do
  if [ "$(on "$node" info -f '{{.Swarm.LocalNodeState}}')" != active ]; then
    on "$node" swarm join --advertise-addr "$(docker-machine ip "$node")" --token "$token" "$(docker-machine ip m1):2377"
  fi
done
on m1 node ls
echo "next: SWARM=machines scripts/deploy.sh   (or eval \"\$(docker-machine env m1)\" to use docker on m1)"
