#!/usr/bin/env bash
# Drill: scale customers 2 -> 4 -> 2 under steady load. Every new replica must answer (its X-Served-By
# seen through the gateway), and at most DRILL_MAX_FAILURES (5) requests may fail, scaling up or down.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

drill_start scale "${DRILL_MAX_FAILURES:-5}"
customer=$(some_customer_id)

step "scaling customers to 4"
t=$(now)
manager_docker service scale "${STACK}_customers=4" --detach >/dev/null
wait_replicas customers 4
step "4 replicas running and healthy after $(since "$t")s, on: $(placement customers)"
answered=$(distinct_served_by "/api/customers/$customer" 4 30)
step "instances answering through the gateway: $(echo "$answered" | wc -l) ($(echo "$answered" | tr '\n' ' '))"
if (($(echo "$answered" | wc -l) < 4)); then
  problem "only $(echo "$answered" | wc -l) of 4 customers replicas answered within 30s"
fi

sleep 5
step "scaling customers back to 2"
t=$(now)
manager_docker service scale "${STACK}_customers=2" --detach >/dev/null
wait_replicas customers 2
step "2 replicas after $(since "$t")s, on: $(placement customers)"
drill_finish 10
