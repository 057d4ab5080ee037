#!/usr/bin/env bash
# Every log line of one request across the stack, in time order: the lines of every service
# (`docker service logs`) that carry ID, a request id (X-Request-Id) or a trace id (X-Trace-Id). Given
# a request id, the trace ids of its lines are followed too, so the lines of the services it called,
# which carry the trace id, come with it.
#
#   scripts/logs.sh ID [SINCE]      SINCE: how far back to look (docker's --since, 1h by default)
#
# Settings (environment): SWARM (lab) and STACK (swarmshop), as for deploy.sh; LOGS_SECONDS (60), the
# longest one service's listing may take. Needs jq.
set -euo pipefail
. "$(dirname "$0")/lib/apt.sh"
. "$(dirname "$0")/lib/swarm.sh"
. "$(dirname "$0")/lib/services.sh"
ID=${1:?usage: scripts/logs.sh ID [SINCE]}
SINCE=${2:-1h}
if [[ ! "$ID" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
  echo "an id is 1 to 64 letters, digits, '.', '_' or '-'" >&2
  exit 2
fi
apt_install jq jq

all=$(mktemp)
trap 'rm -f "$all"' EXIT
for service in "${SERVICES[@]}"; do
  status=0
  service_logs --raw --since "$SINCE" "${STACK}_$service" 2>/dev/null | grep '^{' >>"$all" || status=${PIPESTATUS[0]}
  if [ "$status" = 124 ]; then
    echo "the logs of $service took over ${LOGS_SECONDS:-60}s to list: only what came by then is searched" >&2
  fi
done
# The ids to look for: ID, and the trace ids of the lines that carry it as their request id.
ids=$(jq -r --arg id "$ID" 'select(.requestId == $id) | .traceId // empty' "$all" | sort -u)
jq -c --arg id "$ID" --arg traces "$ids" '
  ($traces | split("\n") | map(select(length > 0))) as $trace_ids
  | select(.requestId == $id or .traceId == $id or ((.traceId // "") as $t | $trace_ids | any(. == $t)))' "$all" \
  | jq -s -r 'sort_by(.time)[] | [.time, .service + "@" + .instance, .node, .level, .message] | @tsv'
