#!/usr/bin/env bash
# One Redis server or Sentinel of a data service's replicated Redis on Swarm (stack.yml runs each as a
# global service: one task per node, each with its node's own volume).
#
#   swarmshop-redis.sh server     a Redis that joins the current primary as a replica, or is the primary
#   swarmshop-redis.sh sentinel   a Sentinel that watches the current primary, keeping its identity
#
# Settings (environment): REDIS_MASTER (the name the Sentinels watch, e.g. customers); REDIS_PEERS
# (tasks.customers-redis: every Redis task); SENTINEL_PEERS (tasks.customers-sentinel);
# SENTINEL_QUORUM (2); DOWN_AFTER_MS (1000); FAILOVER_TIMEOUT_MS (3000); MIN_REPLICAS_MAX_LAG (3 seconds);
# FOLLOW_AFTER_SECONDS (10: how long a replica's link may stay down before it looks for the primary).
#
# Addresses, never names, are announced and watched (names do not work for Sentinel on Swarm:
# redis/redis#9103), and always the task's own (redis/redis#6218, #6542): a task's address changes
# when it restarts, so nothing is kept from an earlier address but the Sentinel's identity.
set -euo pipefail

: "${REDIS_MASTER:?REDIS_MASTER must name the primary}"
: "${REDIS_PEERS:?REDIS_PEERS must name every Redis task, e.g. tasks.customers-redis}"
SENTINEL_PEERS=${SENTINEL_PEERS:-}
SENTINEL_QUORUM=${SENTINEL_QUORUM:-2}
DOWN_AFTER_MS=${DOWN_AFTER_MS:-1000}
# Also how long a Sentinel waits to try again after a failover that did not complete (twice this).
FAILOVER_TIMEOUT_MS=${FAILOVER_TIMEOUT_MS:-3000}
MIN_REPLICAS_MAX_LAG=${MIN_REPLICAS_MAX_LAG:-3}
FOLLOW_AFTER_SECONDS=${FOLLOW_AFTER_SECONDS:-10}
REDIS_PORT=6379
SENTINEL_PORT=26379

log() { echo "swarmshop-redis $(date -u +%H:%M:%S) $*"; }

# The task's own address on its network.
own_address() { getent hosts "$(hostname)" | awk '{ print $1; exit }'; }

# Every address a name stands for (none while no task runs: the lookup then goes on to resolvers
# outside the swarm, which may not answer, hence the time limit).
addresses_of() { { timeout 2 getent ahostsv4 "$1" 2>/dev/null || true; } | awk '{ print $1 }' | sort -u; }

# ask HOST PORT COMMAND...: one command with a time limit; nothing on failure.
ask() {
  local host=$1 port=$2
  shift 2
  timeout 2 redis-cli --raw -h "$host" -p "$port" "$@" 2>/dev/null || true
}

info_field() { sed -n "s/^$2:\\([^[:space:]]*\\).*/\\1/p" <<<"$1" | head -1; }

# The primary the Sentinels name, if one of them answers and that server says it is the primary.
primary_from_sentinels() {
  local sentinel answer
  [ -n "$SENTINEL_PEERS" ] || return 0
  for sentinel in $(addresses_of "$SENTINEL_PEERS"); do
    answer=$(ask "$sentinel" "$SENTINEL_PORT" SENTINEL GET-MASTER-ADDR-BY-NAME "$REDIS_MASTER" | head -1)
    if [ -n "$answer" ] && [ "$(ask "$answer" "$REDIS_PORT" ROLE | head -1)" = master ]; then
      echo "$answer"
      return 0
    fi
  done
}

# A primary among the other Redis tasks that already serves replicas (or that a replica follows).
primary_from_peers() {
  local me=$1 peer replication master
  for peer in $(addresses_of "$REDIS_PEERS"); do
    [ "$peer" != "$me" ] || continue
    replication=$(ask "$peer" "$REDIS_PORT" INFO replication)
    case "$(info_field "$replication" role)" in
      master)
        if [ "$(info_field "$replication" connected_slaves)" -gt 0 ] 2>/dev/null; then
          echo "$peer"
          return 0
        fi
        ;;
      slave)
        master=$(info_field "$replication" master_host)
        if [ -n "$master" ] && [ "$(ask "$master" "$REDIS_PORT" ROLE | head -1)" = master ]; then
          echo "$master"
          return 0
        fi
        ;;
    esac
  done
}

# On a fresh stack every server starts alone: the one with the most keys (then the lowest address)
# among those still alone becomes the primary, and each other one joins it.
bootstrap_primary() {
  local me=$1 peer replication candidates=""
  for peer in $(addresses_of "$REDIS_PEERS") "$me"; do
    replication=$(ask "$peer" "$REDIS_PORT" INFO replication)
    [ "$(info_field "$replication" role)" = master ] || continue
    [ "$(info_field "$replication" connected_slaves)" = 0 ] || { echo "$peer"; return 0; }
    candidates+="$(ask "$peer" "$REDIS_PORT" DBSIZE | head -1) $peer"$'\n'
  done
  sort -u <<<"$candidates" | awk 'NF == 2' | sort -k1,1nr -k2,2V | awk 'NR == 1 { print $2 }'
}

run_server() {
  local me primary
  me=$(own_address)
  primary=$(primary_from_sentinels)
  [ -n "$primary" ] || primary=$(primary_from_peers "$me")
  local options=(--port "$REDIS_PORT" --dir /data --appendonly yes --save "" --protected-mode no
    --replica-announce-ip "$me" --min-replicas-to-write 1 --min-replicas-max-lag "$MIN_REPLICAS_MAX_LAG"
    --repl-diskless-sync-delay 0)
  if [ -n "$primary" ] && [ "$primary" != "$me" ]; then
    log "$REDIS_MASTER at $me: joining the primary $primary"
    options+=(--replicaof "$primary" "$REDIS_PORT")
  else
    log "$REDIS_MASTER at $me: no primary to join yet, starting alone"
  fi
  redis-server "${options[@]}" &
  local server=$!
  trap 'kill -TERM "$server" 2>/dev/null' TERM INT
  {
    if [ -z "$primary" ] || [ "$primary" = "$me" ]; then
      join_or_lead "$me" "$server"
    fi
    follow_primary "$me" "$server"
  } &
  # A trapped SIGTERM ends the wait early: wait again until the server has stopped.
  while kill -0 "$server" 2>/dev/null; do wait "$server" || true; done
}

# Until this server is a replica or has one: join whichever primary the others settle on.
join_or_lead() {
  local me=$1 server=$2 deadline=$((SECONDS + 300)) replication chosen
  while kill -0 "$server" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 1
    replication=$(ask "$me" "$REDIS_PORT" INFO replication)
    [ "$(info_field "$replication" role)" = master ] || return 0
    [ "$(info_field "$replication" connected_slaves)" = 0 ] || return 0
    chosen=$(primary_from_sentinels)
    [ -n "$chosen" ] || chosen=$(primary_from_peers "$me")
    [ -n "$chosen" ] || chosen=$(bootstrap_primary "$me")
    if [ -n "$chosen" ] && [ "$chosen" != "$me" ]; then
      # A server still loading its data answers LOADING: it stays alone, so ask again until it takes it.
      if [ "$(ask "$me" "$REDIS_PORT" REPLICAOF "$chosen" "$REDIS_PORT" | head -1)" = OK ]; then
        log "$REDIS_MASTER at $me: joining the primary $chosen"
        return 0
      fi
      log "$REDIS_MASTER at $me: could not join the primary $chosen yet (loading its data?); trying again"
    fi
  done
}

# While the server runs: a replica whose link to its primary stays down joins the primary the
# Sentinels name (or the peers follow). A server that joined a primary just before that primary's
# task was replaced follows an address no task has any more, and the Sentinels, which never saw it
# replicate, never tell it otherwise. A primary is never touched: promoting and demoting is the
# Sentinels' part, and so is a replica whose primary just went down (they fail it over in seconds).
follow_primary() {
  local me=$1 server=$2 down_since="" replication followed chosen
  while kill -0 "$server" 2>/dev/null; do
    sleep 2
    replication=$(ask "$me" "$REDIS_PORT" INFO replication)
    if [ "$(info_field "$replication" role)" != slave ] || [ "$(info_field "$replication" master_link_status)" = up ] \
      || [ "$(info_field "$replication" master_sync_in_progress)" = 1 ]; then
      down_since=""
      continue
    fi
    [ -n "$down_since" ] || down_since=$SECONDS
    ((SECONDS - down_since >= FOLLOW_AFTER_SECONDS)) || continue
    followed=$(info_field "$replication" master_host)
    chosen=$(primary_from_sentinels)
    [ -n "$chosen" ] || chosen=$(primary_from_peers "$me")
    if [ -n "$chosen" ] && [ "$chosen" != "$me" ] && [ "$chosen" != "$followed" ] \
      && [ "$(ask "$me" "$REDIS_PORT" REPLICAOF "$chosen" "$REDIS_PORT" | head -1)" = OK ]; then
      log "$REDIS_MASTER at $me: the primary $followed has not answered for $((SECONDS - down_since)) s; joining the primary $chosen"
      down_since=""
    fi
  done
}

run_sentinel() {
  local me conf=/sentinel/sentinel.conf watched primary
  me=$(own_address)
  mkdir -p /sentinel
  touch "$conf"
  watched=$(awk -v name="$REDIS_MASTER" '$1 == "sentinel" && $2 == "monitor" && $3 == name { print $4 }' "$conf")
  primary=$(primary_from_sentinels)
  [ -n "$primary" ] || primary=$(primary_from_peers "")
  if [ -n "$watched" ] && { [ -z "$primary" ] || [ "$primary" = "$watched" ]; }; then
    log "sentinel at $me: watching $REDIS_MASTER at $watched, as before"
  else
    while [ -z "$primary" ]; do
      log "sentinel at $me: waiting for a primary of $REDIS_MASTER with a replica"
      sleep 1
      primary=$(primary_from_sentinels)
      [ -n "$primary" ] || primary=$(primary_from_peers "")
    done
    log "sentinel at $me: watching $REDIS_MASTER at $primary"
    # Only the identity is kept: the other Sentinels know this one by it, so it never counts twice.
    grep '^sentinel myid ' "$conf" >"$conf.new" || true
    echo "sentinel monitor $REDIS_MASTER $primary $REDIS_PORT $SENTINEL_QUORUM" >>"$conf.new"
    mv "$conf.new" "$conf"
  fi
  # What this task's settings say, whatever the file said before: its address, and the timings.
  # After a failover every replica is told to follow the new primary at once: a Sentinel remembers the
  # address of every replica it ever saw, and one left by a replaced task never answers, which with
  # one at a time held the live replica (and so every write) up until it timed out. The replicas
  # serve no reads, so resyncing them together costs nothing.
  sed -i "/^sentinel announce-ip /d; /^port /d; /^dir /d; /^protected-mode /d;
    /^sentinel \(down-after-milliseconds\|failover-timeout\|parallel-syncs\) $REDIS_MASTER /d" "$conf"
  cat >>"$conf" <<EOF
port $SENTINEL_PORT
dir /sentinel
protected-mode no
sentinel announce-ip $me
sentinel down-after-milliseconds $REDIS_MASTER $DOWN_AFTER_MS
sentinel failover-timeout $REDIS_MASTER $FAILOVER_TIMEOUT_MS
sentinel parallel-syncs $REDIS_MASTER 16
EOF
  exec redis-server "$conf" --sentinel
}

case "${1:-}" in
  server) run_server ;;
  sentinel) run_sentinel ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
