#!/usr/bin/env bash
# Drill: kill the container of one data service's Redis primary (SIGKILL) under steady load. The
# Sentinels promote a replica, the service follows it without a restart, Swarm starts the killed task
# again on its node and it rejoins as a replica of the new primary. Budgets: nothing acknowledged is
# lost, the service's writes fail for 10 s at most, the other services stay at 99 % answered 2xx.
#
#   scripts/drills/kill-redis.sh [SERVICE]    SERVICE: customers, products or invoices (invoices)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SERVICE=${1:-invoices}
case " ${DATA_SERVICES[*]} " in *" $SERVICE "*) ;; *) echo "unknown data service '$SERVICE': one of ${DATA_SERVICES[*]}" >&2; exit 2 ;; esac

wait_replicas_in_sync_before
drill_start "kill-redis-$SERVICE" 1000000
before=$(primaries)
address=$(primary_address "$SERVICE")
read -r node container < <(redis_task_at "$SERVICE" "$address")
step "primaries: $before; killing $SERVICE's primary $address (container ${container:0:12} on $node)"
t=$(now)
drill_fault
node_docker "$node" kill "$container" >/dev/null
moved() { [ "$(primary_address "$SERVICE")" != "$address" ]; }
wait_until 30 "the Sentinels to promote a replica of $SERVICE" moved || problem "no replica of $SERVICE was promoted"
after=$(primaries)
step "primaries after $(since "$t")s: $after"
if wait_until 240 "the killed server to rejoin as a replica, both replicas in sync" replicas_in_sync "$SERVICE"; then
  step "two replicas in sync again after $(since "$t")s"
else
  problem "$SERVICE's primary does not have two replicas in sync again within 240 s: $(replication_states "$SERVICE")"
fi
drill_finish 5 "$SERVICE"
