#!/usr/bin/env bash
# Drill: cut one node off from the other two for PARTITION_SECONDS (30) under steady load, then heal
# it. The load driver still reaches every node's gateway, as clients behind a load balancer would.
# The cut-off node should hold a primary: the Sentinels on the other two promote a replica there, and
# the old primary, hearing from no replica, refuses writes, so that nothing it took is acknowledged
# and lost when it rejoins as a replica. Budgets: nothing acknowledged is lost, a moved primary's
# writes fail for 10 s at most, the other services stay at 99 % answered 2xx.
#
#   scripts/drills/partition-node.sh [NODE]    NODE: m1, w1 or w2 (the node of invoices' primary)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PARTITION_SECONDS=${PARTITION_SECONDS:-30}

cut_off() {
  if [ "$SWARM" = lab ]; then
    "$SWARM_ROOT/scripts/swarm-lab.sh" partition-node "$1" >/dev/null
  else
    local node
    for node in "${SWARM_NODES[@]}"; do
      [ "$node" = "$1" ] || docker-machine ssh "$1" sudo iptables -I INPUT -s "$(node_address "$node")" -j DROP
      [ "$node" = "$1" ] || docker-machine ssh "$1" sudo iptables -I OUTPUT -d "$(node_address "$node")" -j DROP
    done
  fi
}
heal() {
  if [ "$SWARM" = lab ]; then
    "$SWARM_ROOT/scripts/swarm-lab.sh" heal-node "$1" >/dev/null
  else
    local node
    for node in "${SWARM_NODES[@]}"; do
      [ "$node" = "$1" ] || docker-machine ssh "$1" sudo iptables -D INPUT -s "$(node_address "$node")" -j DROP || true
      [ "$node" = "$1" ] || docker-machine ssh "$1" sudo iptables -D OUTPUT -d "$(node_address "$node")" -j DROP || true
    done
  fi
}

wait_replicas_in_sync_before
before=$(primaries)
VICTIM=${1:-$(primary_node invoices)}
case " ${SWARM_NODES[*]} " in *" $VICTIM "*) ;; *) echo "unknown node '$VICTIM': one of ${SWARM_NODES[*]}" >&2; exit 2 ;; esac

drill_start "partition-$VICTIM" 1000000
trap 'heal "$VICTIM"; drill_abort' EXIT
step "primaries: $before; cutting $VICTIM off from the other nodes for ${PARTITION_SECONDS}s"
[[ "$before" == *"@$VICTIM"* ]] || problem "$VICTIM holds no primary: the drill proves little"
# With one manager, m1 cut off still manages (a quorum of one): the drills go on asking it.
use_manager_other_than "$VICTIM" 2>/dev/null || true
t=$(now)
drill_fault
cut_off "$VICTIM"
sleep "$PARTITION_SECONDS"
# Seen from the majority side: the cut-off node's own Sentinel still names the old primary.
after=$(primaries "$VICTIM")
step "primaries after $(since "$t")s, as the other nodes see them: $after"
step "healing $VICTIM"
heal "$VICTIM"
trap drill_abort EXIT
t=$(now)
if wait_until 240 "every primary to have both replicas in sync again" replicas_in_sync; then
  step "every primary has two replicas in sync $(since "$t")s after healing: $(primaries)"
else
  problem "the Redis servers did not all rejoin the primaries in sync within 240 s of the heal: $(replication_states)"
fi
DRILL_VICTIM_ENTRY=http://$(node_address "$VICTIM")
# shellcheck disable=SC2046
drill_finish 5 $(moved_services "$before" "$after")
