#!/usr/bin/env bash
# A three-node Docker Swarm on one Linux host, without VMs: each node (m1, w1, w2) is a dockerd of its
# own in its own network, mount, UTS and PID namespaces, joined over a bridge. m1 is a manager; with
# MANAGERS=3 w1 and w2 are managers too, so that the swarm's control plane survives the loss of one.
# Needs root, Debian's docker.io and iproute2 (installed when missing). Never touches the host's own
# Docker: every node keeps its data, sockets and logs under LAB_DIR.
#
#   scripts/swarm-lab.sh up              tear down what an earlier run left, then build the lab afresh
#   scripts/swarm-lab.sh down            stop every node and remove everything the lab made
#   scripts/swarm-lab.sh status          nodes as the manager sees them
#   scripts/swarm-lab.sh env             `eval "$(scripts/swarm-lab.sh env)"` points docker at m1
#   scripts/swarm-lab.sh docker N ARGS   runs docker against node N (m1, w1, w2)
#   scripts/swarm-lab.sh kill-node N     SIGKILL node N's daemon and every process of its containers
#   scripts/swarm-lab.sh revive-node N   start node N again on its own data; it rejoins the swarm
#   scripts/swarm-lab.sh partition-node N  drop all traffic between node N and the other nodes (the
#                                        host still reaches every node, as a load balancer would)
#   scripts/swarm-lab.sh heal-node N     let node N and the others reach each other again
#   scripts/swarm-lab.sh base-image      puts the local base image on m1 (nothing can be pulled here):
#                                        Debian bookworm with a Java 17 JRE, Redis, Prometheus,
#                                        Alertmanager and the node and Redis exporters, by debootstrap
#   scripts/swarm-lab.sh purge           down, and also remove the base image cache
#
# Settings (environment): MANAGERS (1: m1 manages, w1 and w2 work, the course's layout; 3: every node
# a manager); LAB_DIR (/var/tmp/swarmshop-lab); LAB_CACHE (/var/tmp/swarmshop-lab-cache:
# the base image's file system, kept across labs as it takes a minute to make); LAB_NET (10.99.0: the
# bridge is .1 and the nodes .10, .11, .12 of that /24, addresses that exist only inside this machine).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB_DIR=${LAB_DIR:-/var/tmp/swarmshop-lab}
LAB_CACHE=${LAB_CACHE:-/var/tmp/swarmshop-lab-cache}
LAB_NET=${LAB_NET:-10.99.0}
MANAGERS=${MANAGERS:-1}
BASE_IMAGE_NAME=swarmshop-base:bookworm
BRIDGE=swsbr0
NODES=(m1 w1 w2)
declare -A HOST_NUMBER=([m1]=10 [w1]=11 [w2]=12)
# Each node's docker0 gets its own /24, and the swarm's overlays come from a pool away from LAB_NET.
declare -A DOCKER_BIP=([m1]=172.30.10.1/24 [w1]=172.30.11.1/24 [w2]=172.30.12.1/24)
OVERLAY_POOL=10.200.0.0/16

. "$ROOT/scripts/lib/apt.sh"

node_ip() { echo "$LAB_NET.${HOST_NUMBER[$1]}"; }
node_dir() { echo "$LAB_DIR/$1"; }
node_socket() { echo "unix://$LAB_DIR/$1/docker.sock"; }
netns_of() { echo "sws-$1"; }
node_docker() {
  local node=$1
  shift
  docker -H "$(node_socket "$node")" "$@"
}

check_node() {
  [[ -n "${HOST_NUMBER[${1:-}]:-}" ]] || { echo "unknown node '${1:-}': one of ${NODES[*]}" >&2; exit 2; }
}

require_root() {
  [ "$(id -u)" = 0 ] || { echo "the lab needs root (network namespaces, mounts, dockerd)" >&2; exit 1; }
}

install_tools() {
  apt_install dockerd docker.io
  apt_install ip iproute2
  apt_install unshare util-linux
  apt_install iptables iptables
}

# The PID of node N's init (PID 1 of its PID namespace) when it is alive and ours.
node_init_pid() {
  local file
  file="$(node_dir "$1")/init.pid"
  [ -r "$file" ] || return 1
  local pid
  pid=$(cat "$file")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "swarmshop-lab-node $1 " && echo "$pid"
}

# Runs inside the node's fresh namespaces: a sysfs and cgroup hierarchy of its own network namespace
# (SWARM-LAB.md: `ip netns exec` remounts /sys in a way dockerd cannot use), a private /run so no
# runtime path is shared with the host or other nodes, then dockerd with everything under its folder;
# its socket is also at /run/docker.sock inside the node, as on any Docker host, for the services that
# mount it (Prometheus lists the nodes through it).
# A bash PID 1 that waits reaps the orphans containerd leaves; its death takes the whole node along.
start_node() {
  local node=$1 dir
  dir=$(node_dir "$node")
  mkdir -p "$dir/data"
  # A node that was killed leaves its pid file; start_node runs only when no daemon of this node lives.
  rm -f "$dir/dockerd.pid"
  cat >"$dir/daemon.json" <<'EOF'
{"log-driver": "json-file", "log-opts": {"max-size": "5m", "max-file": "2"}, "storage-driver": "overlay2"}
EOF
  # shellcheck disable=SC2016
  local init='
    node=$1 dir=$2 bip=$3
    set -e
    mount -t sysfs sysfs /sys
    mount -t tmpfs cgroup /sys/fs/cgroup
    for controller in cpu cpuacct cpuset memory devices freezer blkio pids; do
      mkdir -p /sys/fs/cgroup/$controller
      mount -t cgroup -o $controller cgroup /sys/fs/cgroup/$controller
    done
    mkdir -p /sys/fs/cgroup/systemd
    mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
    mount -t tmpfs -o mode=755 run /run
    hostname "$node"
    dockerd --data-root "$dir/data" --exec-root /run/docker --pidfile "$dir/dockerd.pid" \
      --config-file "$dir/daemon.json" -H "unix://$dir/docker.sock" -H unix:///run/docker.sock --bip "$bip" &
    trap "kill -TERM $! 2>/dev/null" TERM
    while kill -0 $! 2>/dev/null; do wait; done
  '
  setsid unshare --mount --uts --pid --fork --mount-proc --propagation private \
    nsenter --net="/var/run/netns/$(netns_of "$node")" \
    bash -c "$init" "swarmshop-lab-node $node " "$node" "$dir" "${DOCKER_BIP[$node]}" \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  local unshare_pid=$! init_pid="" tries
  for tries in $(seq 50); do
    init_pid=$(pgrep -P "$unshare_pid" -f "swarmshop-lab-node $node " | head -1 || true)
    [ -n "$init_pid" ] && break
    sleep 0.1
  done
  [ -n "$init_pid" ] || { echo "node $node did not start; see $dir/dockerd.log" >&2; return 1; }
  echo "$init_pid" >"$dir/init.pid"
  for tries in $(seq 120); do
    node_docker "$node" info >/dev/null 2>&1 && return 0
    node_init_pid "$node" >/dev/null || break
    sleep 0.5
  done
  echo "node $node: dockerd did not answer; last lines of $dir/dockerd.log:" >&2
  tail -20 "$dir/dockerd.log" >&2
  return 1
}

# SIGTERM lets dockerd stop its containers; SIGKILL of the node's init then ends whatever is left.
stop_node() {
  local node=$1 pid waited
  pid=$(node_init_pid "$node") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for waited in $(seq 40); do
    [ -d "/proc/$pid" ] || return 0
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid"
}

wait_gone() {
  local waited
  for waited in $(seq 40); do
    [ -d "/proc/$1" ] || return 0
    sleep 0.25
  done
  echo "process $1 did not end" >&2
  return 1
}

make_network() {
  ip link add "$BRIDGE" type bridge
  ip addr add "$LAB_NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local node ns
  for node in "${NODES[@]}"; do
    ns=$(netns_of "$node")
    ip netns add "$ns"
    ip link add "v$ns" type veth peer name eth0 netns "$ns"
    ip link set "v$ns" master "$BRIDGE" up
    ip -n "$ns" addr add "$(node_ip "$node")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    # No default route on purpose: a node's failed pull then fails at once instead of waiting on DNS.
  done
}

remove_network() {
  local node ns
  for node in "${NODES[@]}"; do
    ns=$(netns_of "$node")
    ip link del "v$ns" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

down() {
  local node
  for node in "${NODES[@]}"; do stop_node "$node"; done
  remove_network
  if [ -d "$LAB_DIR" ]; then
    # The nodes' mounts lived in their own mount namespaces; refuse to delete through one that did not.
    if findmnt -rn -o TARGET | grep -q "^$LAB_DIR/"; then
      echo "something is still mounted under $LAB_DIR; not removing it" >&2
      exit 1
    fi
    rm -rf "$LAB_DIR"
  fi
  echo "lab down"
}

up() {
  install_tools
  down >/dev/null
  mkdir -p "$LAB_DIR"
  make_network
  local node
  for node in "${NODES[@]}"; do
    start_node "$node"
  done
  node_docker m1 swarm init --advertise-addr "$(node_ip m1)" --default-addr-pool "$OVERLAY_POOL" >/dev/null
  local token role=worker
  if [ "$MANAGERS" = 3 ]; then role=manager; fi
  token=$(node_docker m1 swarm join-token -q "$role")
  for node in w1 w2; do
    node_docker "$node" swarm join --advertise-addr "$(node_ip "$node")" --token "$token" "$(node_ip m1):2377" >/dev/null
  done
  status
  echo "manager: eval \"\$($0 env)\"; the gateway will answer on port 80 of every node: $(for node in "${NODES[@]}"; do printf 'http://%s/ ' "$(node_ip "$node")"; done)"
}

# The stack's images take their base from BASE_IMAGE and Redis from REDIS_IMAGE, and the lab's
# monitoring images (monitoring/Dockerfile) theirs from it too: this one serves all.
BASE_PACKAGES=openjdk-17-jre-headless,redis-server,passwd,ca-certificates,prometheus,prometheus-alertmanager,prometheus-node-exporter,prometheus-redis-exporter
base_image() {
  if node_docker m1 image inspect "$BASE_IMAGE_NAME" >/dev/null 2>&1; then
    return 0
  fi
  # Named by its packages: a cache made for another list is made again.
  local archive="$LAB_CACHE/base-bookworm-$(echo "$BASE_PACKAGES" | sha256sum | cut -c1-12).tar"
  if [ ! -s "$archive" ]; then
    apt_install debootstrap debootstrap
    echo "making the base image with debootstrap (about a minute)"
    mkdir -p "$LAB_CACHE"
    rm -f "$LAB_CACHE"/base-bookworm*.tar
    local rootfs="$LAB_CACHE/rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include="$BASE_PACKAGES" \
      bookworm "$rootfs" >"$LAB_CACHE/debootstrap.log" 2>&1 || {
      tail -20 "$LAB_CACHE/debootstrap.log" >&2
      return 1
    }
    tar -C "$rootfs" -cf "$archive.partial" . && mv "$archive.partial" "$archive"
    rm -rf "$rootfs"
  fi
  node_docker m1 import "$archive" "$BASE_IMAGE_NAME" >/dev/null
  echo "base image $BASE_IMAGE_NAME is on m1"
}

status() {
  local node pid
  for node in "${NODES[@]}"; do
    if pid=$(node_init_pid "$node"); then
      echo "$node $(node_ip "$node") daemon up (init pid $pid)"
    else
      echo "$node $(node_ip "$node") daemon down"
    fi
  done
  node_docker m1 node ls 2>/dev/null || echo "the manager does not answer"
}

kill_node() {
  local node=$1 pid
  pid=$(node_init_pid "$node") || { echo "node $node is not running" >&2; exit 1; }
  # PID 1 of the node's namespace: the kernel kills every process in it, containers included.
  kill -KILL "$pid"
  wait_gone "$pid"
  echo "node $node killed"
}

revive_node() {
  local node=$1
  if node_init_pid "$node" >/dev/null; then
    echo "node $node is already running"
    return 0
  fi
  start_node "$node"
  echo "node $node revived"
}

# The node's own firewall drops what comes from or goes to another node's address; the bridge's
# address (the host) is let through. Docker's own chains in the node are left alone.
partition_node() {
  local ns
  ns=$(netns_of "$1")
  heal_node "$1"
  ip netns exec "$ns" iptables -w -N SWS-PARTITION
  ip netns exec "$ns" iptables -w -A SWS-PARTITION -s "$LAB_NET.1" -j RETURN
  ip netns exec "$ns" iptables -w -A SWS-PARTITION -d "$LAB_NET.1" -j RETURN
  ip netns exec "$ns" iptables -w -A SWS-PARTITION -s "$LAB_NET.0/24" -d "$LAB_NET.0/24" -j DROP
  ip netns exec "$ns" iptables -w -I INPUT 1 -j SWS-PARTITION
  ip netns exec "$ns" iptables -w -I OUTPUT 1 -j SWS-PARTITION
  echo "node $1 cut off from the other nodes"
}

heal_node() {
  local ns
  ns=$(netns_of "$1")
  while ip netns exec "$ns" iptables -w -D INPUT -j SWS-PARTITION 2>/dev/null; do :; done
  while ip netns exec "$ns" iptables -w -D OUTPUT -j SWS-PARTITION 2>/dev/null; do :; done
  ip netns exec "$ns" iptables -w -F SWS-PARTITION 2>/dev/null || true
  ip netns exec "$ns" iptables -w -X SWS-PARTITION 2>/dev/null || true
}

case "$MANAGERS" in
  1 | 3) ;;
  *) echo "MANAGERS must be 1 or 3, got '$MANAGERS'" >&2; exit 2 ;;
esac
command=${1:-}
case "$command" in
  up) require_root; up ;;
  down) require_root; down ;;
  status) status ;;
  base-image) base_image ;;
  base-image-name) echo "$BASE_IMAGE_NAME" ;;
  purge) require_root; down; rm -rf "$LAB_CACHE" ;;
  env) echo "export DOCKER_HOST=$(node_socket m1)" ;;
  ip) check_node "${2:-}"; node_ip "$2" ;;
  docker) check_node "${2:-}"; node=$2; shift 2; node_docker "$node" "$@" ;;
  kill-node) require_root; check_node "${2:-}"; kill_node "$2" ;;
  revive-node) require_root; check_node "${2:-}"; revive_node "$2" ;;
  partition-node) require_root; check_node "${2:-}"; partition_node "$2" ;;
  heal-node) require_root; check_node "${2:-}"; heal_node "$2"; echo "node $2 reaches the others again" ;;
  *) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
