#!/usr/bin/env bash
# A canary release of SERVICE (customers, products, invoices or webapp) to image TAG, decided on what
# the gateways measure:
#   scripts/canary.sh customers 0.2.0
# starts SERVICE-canary on that tag, then steps the share of SERVICE's requests the gateways send it
# (each step a rolling update of the gateway's <NAME>_CANARY_PERCENT, so the share is part of the
# stack's desired state), holds each step and compares the two tracks over it in Prometheus
# (swarmshop_track_requests_seconds: the share of 5xx or unanswered requests, and the p99). Healthy
# at every step: promotion (the share back to 0, SERVICE updated to TAG with its rolling update, the
# canary stopped), exit 0. Unhealthy at any step, or stopped (Ctrl-C): rollback (the canary stopped
# first, so its share goes back to stable at once, then the share set to 0), exit 1.
#
# Settings (environment): SWARM, STACK, REGISTRY (swarmshop) as for deploy.sh; PUSH=1 when the image
# is in a registry (else it must be on every node, as the lab's are); CANARY_STEPS ("10 50 100"), in
# percent; CANARY_HOLD_SECONDS (30) at each step; CANARY_WARM_SECONDS (15) at the first step before its
# hold, judged on failures alone (the canary's JVM is new: a cold one's p99 says nothing of the release,
# its failures do); CANARY_REPLICAS (1); CANARY_ENV, settings of the
# canary only ("FAULT_ERROR_PERCENT=20 LOG_LEVEL=FINE"); CANARY_MIN_REQUESTS (20) the canary must
# answer in a step to be judged; CANARY_MAX_ERROR_POINTS (2) its failed share may exceed stable's by;
# CANARY_P99_FACTOR (2) and CANARY_P99_SLACK_MS (100): its p99 may be up to the larger of that many
# times stable's and stable's plus that many milliseconds. CANARY_REPORT names a file that gets one
# line per step judged (the first step's warm-up's, when it rolls the canary back): "weight share
# canaryRequests canaryFailedPercent canaryP99Ms stableRequests stableFailedPercent stableP99Ms decision".
set -euo pipefail
. "$(dirname "$0")/lib/apt.sh"
. "$(dirname "$0")/lib/swarm.sh"

if [ $# -ne 2 ]; then
  echo "usage: $0 SERVICE TAG" >&2
  exit 2
fi
SERVICE=$1
TAG=$2
case "$SERVICE" in
  customers | products | invoices | webapp) ;;
  *) echo "SERVICE must be customers, products, invoices or webapp, got '$SERVICE'" >&2; exit 2 ;;
esac
REGISTRY=${REGISTRY:-swarmshop}
CANARY_STEPS=${CANARY_STEPS:-10 50 100}
CANARY_HOLD_SECONDS=${CANARY_HOLD_SECONDS:-30}
CANARY_WARM_SECONDS=${CANARY_WARM_SECONDS:-15}
CANARY_REPLICAS=${CANARY_REPLICAS:-1}
CANARY_MIN_REQUESTS=${CANARY_MIN_REQUESTS:-20}
CANARY_MAX_ERROR_POINTS=${CANARY_MAX_ERROR_POINTS:-2}
CANARY_P99_FACTOR=${CANARY_P99_FACTOR:-2}
CANARY_P99_SLACK_MS=${CANARY_P99_SLACK_MS:-100}
for step in $CANARY_STEPS; do
  [[ "$step" =~ ^[0-9]+$ ]] && ((step >= 1 && step <= 100)) || { echo "CANARY_STEPS must be percents from 1 to 100, got '$step'" >&2; exit 2; }
done
[[ "$CANARY_WARM_SECONDS" =~ ^[0-9]+$ ]] || { echo "CANARY_WARM_SECONDS must be a number of seconds, got '$CANARY_WARM_SECONDS'" >&2; exit 2; }
apt_install jq jq

IMAGE=$REGISTRY/$SERVICE:$TAG
CANARY=${STACK}_$SERVICE-canary
WEIGHT=$(echo "$SERVICE" | tr '[:lower:]' '[:upper:]')_CANARY_PERCENT
resolve=(--no-resolve-image)
if [ -n "${PUSH:-}" ]; then resolve=(); fi
# The canary's own settings are remembered on it, to be taken off again when it stops.
env_args=()
for setting in ${CANARY_ENV:-}; do env_args+=(--env-add "$setting"); done
T0=$EPOCHREALTIME
say() { printf '  [%6ss] %s\n' "$(awk -v from="$T0" -v to="$EPOCHREALTIME" 'BEGIN { printf "%.1f", to - from }')" "$*"; }

# set_weight PERCENT: rolls every gateway to send the canary PERCENT of the service's requests.
set_weight() {
  manager_docker service update --detach --quiet --env-add "$WEIGHT=$1" "${STACK}_gateway" >/dev/null
  local state
  state=$(wait_update_done gateway 600)
  [ "$state" = completed ] || { say "the gateway's update to $WEIGHT=$1 ended '$state'"; return 1; }
}

# stop_canary: no canary task, and its own settings taken off.
stop_canary() {
  local added removed=()
  added=$(manager_docker service inspect -f '{{index .Spec.Labels "swarmshop.canary-env"}}' "$CANARY" 2>/dev/null || true)
  for setting in $added; do removed+=(--env-rm "${setting%%=*}"); done
  manager_docker service update --detach --quiet --replicas 0 "${removed[@]}" --label-rm swarmshop.canary-env "$CANARY" >/dev/null
  wait_replicas "$SERVICE-canary" 0 120
}

FINISHED=
rollback() {
  say "rolling back: stopping the canary (its share goes back to stable), then the share to 0"
  stop_canary || true
  set_weight 0 || true
  say "rolled back: $SERVICE stays on $(manager_docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_$SERVICE" | cut -d@ -f1)"
}
on_exit() {
  if [ -z "$FINISHED" ]; then
    FINISHED=1
    rollback
    exit 1
  fi
}
trap on_exit EXIT
trap 'exit 1' INT TERM

if [ "$(manager_docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "$CANARY")" != 0 ]; then
  FINISHED=1
  echo "$CANARY already runs: one canary at a time" >&2
  exit 1
fi
echo "canary release of $SERVICE to $IMAGE: steps ${CANARY_STEPS// / → } %, ${CANARY_HOLD_SECONDS}s each${CANARY_ENV:+; the canary with $CANARY_ENV}"
[ -z "${CANARY_REPORT:-}" ] || : >"$CANARY_REPORT"
say "starting $CANARY_REPLICAS replica(s) of $CANARY"
manager_docker service update --detach --quiet "${resolve[@]}" --image "$IMAGE" --replicas "$CANARY_REPLICAS" "${env_args[@]}" \
  --label-add "swarmshop.canary-env=${CANARY_ENV:-}" "$CANARY" >/dev/null
wait_replicas "$SERVICE-canary" "$CANARY_REPLICAS" 240
# Every gateway must see the canary healthy before it gets a share.
sees_canary() {
  [ "$(curl -fsS -m 2 "$1/api/status" 2>/dev/null |
    jq --arg canary "$SERVICE-canary" '[.services[$canary].instances[]? | select(.healthy)] | length')" -ge "$CANARY_REPLICAS" ]
}
for entry in $(gateway_entries); do
  wait_until 60 "the gateway on $entry to see $SERVICE-canary healthy" sees_canary "$entry"
done

# figure EXPR: the value of a Prometheus query, 0 when it has none (or is not a number).
figure() {
  prom_query "$1" | jq -r '(.[0].value[1] // "0") | tonumber? // 0 | if isnan or isinfinite then 0 else . end'
}
# track_figures TRACK SECONDS: "requests failedPercent p99Ms" of the service's TRACK over the last SECONDS.
track_figures() {
  local selector="dependency=\"$SERVICE\",track=\"$1\"" window="$2s" requests failed p99
  requests=$(figure "sum(increase(swarmshop_track_requests_seconds_count{$selector}[$window]))")
  failed=$(figure "sum(increase(swarmshop_track_requests_seconds_count{$selector,outcome=\"failed\"}[$window]))")
  p99=$(figure "histogram_quantile(0.99, sum by (le) (increase(swarmshop_track_requests_seconds_bucket{$selector}[$window])))")
  awk -v r="$requests" -v f="$failed" -v p="$p99" 'BEGIN { printf "%d %.1f %.0f", r + 0.5, (r > 0 ? 100 * f / r : 0), 1000 * p }'
}

# What stable did before the canary had a share: the measure at a step where stable gets too few requests (100 %).
read -r b_requests b_failed b_p99 <<<"$(track_figures stable "$CANARY_HOLD_SECONDS")"
say "stable before the canary: $b_requests requests in ${CANARY_HOLD_SECONDS}s, $b_failed % failed, p99 $b_p99 ms"
# judge SECONDS [errors]: compares the tracks over the last SECONDS into c_*, s_*, share, compared and
# verdict; with "errors", on failures alone (a cold canary's latency says nothing), and a canary that
# answered too few to judge is not held against it.
judge() {
  read -r c_requests c_failed c_p99 <<<"$(track_figures canary "$1")"
  read -r s_requests s_failed s_p99 <<<"$(track_figures stable "$1")"
  share=$(awk -v c="$c_requests" -v s="$s_requests" 'BEGIN { printf "%.1f", (c + s > 0 ? 100 * c / (c + s) : 0) }')
  compared=stable
  if ((s_requests < CANARY_MIN_REQUESTS)); then
    read -r s_requests s_failed s_p99 <<<"$b_requests $b_failed $b_p99"
    compared="stable before the canary"
  fi
  verdict=$(awk -v c="$c_requests" -v cf="$c_failed" -v cp="$c_p99" -v sf="$s_failed" -v sp="$s_p99" -v min="$CANARY_MIN_REQUESTS" \
    -v points="$CANARY_MAX_ERROR_POINTS" -v factor="$CANARY_P99_FACTOR" -v slack="$CANARY_P99_SLACK_MS" -v errors_only="${2:-}" 'BEGIN {
      limit = (sp * factor > sp + slack) ? sp * factor : sp + slack
      if (c < min) print (errors_only ? "healthy" : "unhealthy (it answered fewer than " min " requests)")
      else if (cf > sf + points) print "unhealthy (" cf " % failed, stable " sf " %: more than " points " points worse)"
      else if (!errors_only && cp > limit) print "unhealthy (p99 " cp " ms, over " limit " ms)"
      else print "healthy"
    }')
}

# report STEP: the step's line in CANARY_REPORT.
report() {
  [ -z "${CANARY_REPORT:-}" ] || echo "$1 $share $c_requests $c_failed $c_p99 $s_requests $s_failed $s_p99 ${verdict%% *}" >>"$CANARY_REPORT"
}

roll_back_when_unhealthy() {
  if [ "$verdict" != healthy ]; then
    FINISHED=1
    rollback
    exit 1
  fi
}

warm=$CANARY_WARM_SECONDS
for step in $CANARY_STEPS; do
  say "step $step %: rolling the gateways to $WEIGHT=$step"
  set_weight "$step"
  if ((warm > 0)); then
    say "warming the canary up for ${warm}s at $step %, judged on its failures alone"
    sleep "$((warm + 5))"
    judge "$warm" errors
    say "warm-up: canary $c_requests requests, $c_failed % failed, p99 $c_p99 ms; $compared $s_requests, $s_failed % failed: $verdict"
    if [ "$verdict" != healthy ]; then report "$step"; fi
    roll_back_when_unhealthy
    warm=0
  fi
  say "holding ${CANARY_HOLD_SECONDS}s"
  # One scrape interval more, so that the last of the hold is in Prometheus.
  sleep "$((CANARY_HOLD_SECONDS + 5))"
  judge "$CANARY_HOLD_SECONDS"
  say "step $step %: canary $c_requests requests ($share % of them), $c_failed % failed, p99 $c_p99 ms;" \
    "$compared $s_requests, $s_failed % failed, p99 $s_p99 ms: $verdict"
  report "$step"
  roll_back_when_unhealthy
done

# Stable takes the traffic back while it is warm, then rolls to the tag (each new replica starting
# slowly), and the canary, idle by then, stops.
say "promoting: the share back to stable, then $SERVICE to $IMAGE with its rolling update"
set_weight 0
manager_docker service update --detach --quiet "${resolve[@]}" --image "$IMAGE" "${STACK}_$SERVICE" >/dev/null
state=$(wait_update_done "$SERVICE" 600)
if [ "$state" != completed ]; then
  say "$SERVICE's update ended '$state'"
  exit 1
fi
FINISHED=1
stop_canary
say "promoted: $SERVICE runs $IMAGE; the canary is stopped"
