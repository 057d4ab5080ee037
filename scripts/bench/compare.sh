#!/usr/bin/env bash
# Old build against new, side by side: builds REV (a commit, default HEAD~1) in a worktree under
# target/, starts it and the working tree's build as two local systems (scripts/run-local.sh of each,
# on their own ports and data), and measures both in alternating rounds, the order reversed every
# other round: GET of a customer and POST of an invoice, each through its gateway. Prints each
# figure's median and the median of the rounds' new/old ratios (the drills module's BenchReport works
# them out). Output goes to target/bench-compare/.
#
#   scripts/bench/compare.sh [REV]
#
# Settings (environment): ROUNDS (6; even, so that each build runs second as often as first: on this
# machine the second run of a pair was up to 10 % faster, whichever build it was), WRK_THREADS (2), WRK_CONNECTIONS (32), WRK_DURATION (10s),
# WARMUP (10s, per system and path before the first round). Installs wrk, curl and jq when missing.
# Stops all it started.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source scripts/lib/apt.sh
source scripts/lib/redis-binary.sh
source scripts/bench/lib.sh
REV=${1:-HEAD~1}
ROUNDS=${ROUNDS:-6}
if ((ROUNDS % 2)); then
  echo "ROUNDS must be even, so that each build runs second as often as first; got $ROUNDS" >&2
  exit 2
fi
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_DURATION=${WRK_DURATION:-10s}
WARMUP=${WARMUP:-10s}
OUT=$ROOT/target/bench-compare
OLD_TREE=$OUT/old-tree
export LOG_LEVEL=WARNING BENCH_DIR=$ROOT/scripts/bench
apt_install wrk wrk
apt_install curl curl
apt_install jq jq

mkdir -p "$OUT"
if [ ! -d "$OLD_TREE" ] || [ "$(git -C "$OLD_TREE" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$REV")" ]; then
  git worktree remove --force "$OLD_TREE" 2>/dev/null || rm -rf "$OLD_TREE"
  git worktree add --detach "$OLD_TREE" "$REV" >/dev/null
fi
echo "building $REV ($(git rev-parse --short "$REV")) in $OLD_TREE, and the working tree"
(cd "$OLD_TREE" && mvn -q -B package -DskipTests)
mvn -q -B package -DskipTests

# Both systems' Redis servers from one binary, found on PATH by each tree's run-local.sh.
mkdir -p "$OUT/bin"
ln -sf "$(redis_binary "$ROOT" "$OUT/bin")" "$OUT/bin/redis-server"
export PATH=$OUT/bin:$PATH

declare -A TREE=([old]=$OLD_TREE [new]=$ROOT) OFFSET=([old]=3000 [new]=3200)
system() { RUN_DIR=$OUT/run-$1 PORT_OFFSET=${OFFSET[$1]} "${TREE[$1]}/scripts/run-local.sh" "$2"; }
gateway() { echo "http://127.0.0.1:$((8080 + ${OFFSET[$1]}))"; }
cleanup() { system old stop >/dev/null 2>&1 || true; system new stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
for build in old new; do
  system "$build" stop >/dev/null
  rm -rf "$OUT/run-$build"
  system "$build" start >/dev/null
done

declare -A CUSTOMERS PRODUCTS ONE
for build in old new; do
  { read -r CUSTOMERS[$build]; read -r PRODUCTS[$build]; } < <(seed_catalogue "$(gateway $build)")
  ONE[$build]=${CUSTOMERS[$build]%%,*}
done

# run BUILD PATH DURATION: "requests/s p50 p99 errors non-2xx created" of one wrk run.
run() {
  local build=$1 path=$2 script=post-invoices.lua url
  url=$(gateway "$build")
  if [ "$path" = get ]; then
    script=get.lua
    url=$url/api/customers/${ONE[$build]}
  fi
  CUSTOMERS=${CUSTOMERS[$build]} PRODUCTS=${PRODUCTS[$build]} wrk_run "$script" "$url" "$3"
}

RESULTS=$OUT/results.tsv
declare -A LABEL=([get]="GET customer via gateway" [post]="POST invoice via gateway")
printf 'text\t%s\n' "Measured by \`ROUNDS=$ROUNDS WRK_THREADS=$WRK_THREADS WRK_CONNECTIONS=$WRK_CONNECTIONS WRK_DURATION=$WRK_DURATION WARMUP=$WARMUP scripts/bench/compare.sh $REV\` on $(date -u +%Y-%m-%dT%H:%MZ): old = $(git rev-parse --short "$REV"), new = the working tree on $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' with changes'), in alternating rounds, the order reversed every other round." "" >"$RESULTS"
for path in get post; do
  for build in old new; do run "$build" "$path" "$WARMUP" >/dev/null; done
  for round in $(seq 1 "$ROUNDS"); do
    order="old new"
    [ $((round % 2)) -eq 0 ] && order="new old"
    for build in $order; do
      line=$(run "$build" "$path" "$WRK_DURATION")
      echo "${LABEL[$path]}, $build build, round $round: $line"
      printf 'run\t%s, %s build\t%s\t%s\n' "${LABEL[$path]}" "$build" "$round" "$line" >>"$RESULTS"
    done
  done
  printf 'ratio\t%s\t%s\t%s\n' "${LABEL[$path]}, new / old" "${LABEL[$path]}, new build" "${LABEL[$path]}, old build" >>"$RESULTS"
done
java -cp "$ROOT/drills/target/drills.jar" io.swarmshop.drills.BenchReport "$RESULTS" | tee "$OUT/report.md"
