#!/usr/bin/env bash
# Not a drill: the drills' load for WARM_SECONDS (60) on a freshly deployed stack, with no budget, so
# that the drills which follow measure the system they are about, not its JVMs compiling. On the
# lab's two shared cores, a fresh stack under 100 requests/s keeps the machine saturated for about a
# minute while every JVM compiles its hot paths; a drill that starts JVMs in that minute (scale) fails
# dozens of requests for it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DRILL_WARMUP=${WARM_SECONDS:-60}
drill_start warm-up 1000000
drill_finish 0
