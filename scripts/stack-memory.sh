#!/usr/bin/env bash
# The memory the stack's containers use, as `docker stats` reports it on each node (a container's
# memory less its page cache): by service, by node, and in all. SWARM (lab) and STACK (swarmshop) as
# for deploy.sh; README's figures and scripts/swarm-machines.sh's sizes come from it.
set -euo pipefail
. "$(dirname "$0")/lib/swarm.sh"

usage=$(mktemp)
trap 'rm -f "$usage"' EXIT
for node in "${SWARM_NODES[@]}"; do
  node_docker "$node" stats --no-stream --format '{{.Name}} {{.MemUsage}}' 2>/dev/null |
    awk -v node="$node" -v stack="$STACK" '
      index($1, stack "_") == 1 {
        service = substr($1, length(stack) + 2); sub(/\..*/, "", service)
        amount = $2; unit = amount; gsub(/[0-9.]/, "", unit); sub(/[A-Za-z]+$/, "", amount)
        mib = amount * (unit == "GiB" ? 1024 : unit == "KiB" ? 1 / 1024 : unit == "B" ? 1 / 1048576 : 1)
        printf "%s %s %.1f\n", node, service, mib
      }' >>"$usage" || true
done
echo "memory in use by the stack's containers (docker stats), MiB:"
awk '{ by[$2] += $3; tasks[$2]++ } END { for (s in by) printf "  %-22s %7.0f  (%d task%s)\n", s, by[s], tasks[s], (tasks[s] > 1 ? "s" : "") }' "$usage" | sort
awk '{ by[$1] += $3 } END { for (n in by) printf "  node %-17s %7.0f\n", n, by[n] }' "$usage" | sort
awk '{ all += $3 } END { printf "  %-22s %7.0f\n", "all", all }' "$usage"
