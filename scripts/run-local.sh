#!/usr/bin/env bash
# Runs the whole system on this machine: three Redis servers (one per data service) and the five
# services, each a separate process on localhost. Needs only a JDK 17 and Maven.
#
#   scripts/run-local.sh          start, print the URL, stay in the foreground; Ctrl-C stops everything
#   scripts/run-local.sh start    start in the background and return once everything is ready
#   scripts/run-local.sh stop     stop what an earlier start started (by the PIDs it recorded)
#   scripts/run-local.sh status   show what runs
#
# Settings (environment): PORT_OFFSET (0) moves every port; EVENT_LOOPS (1) is each service's event
# loops; RUN_DIR (.run) holds data, logs and PIDs,
# so a restart keeps customers, products and invoices; JAVA_OPTS (the heap settings the images use);
# LOG_LEVEL, LOG_FORMAT, ZIPKIN_URL and TRACE_SAMPLING, passed to every service.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/.run}
PORT_OFFSET=${PORT_OFFSET:-0}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx160m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k"}
source "$ROOT/scripts/lib/services.sh"
source "$ROOT/scripts/lib/redis-binary.sh"

http_port() { echo $((HTTP_PORTS[$1] + PORT_OFFSET)); }
management_port() { echo $((HTTP_PORTS[$1] + MANAGEMENT_PORT_OFFSET + PORT_OFFSET)); }
redis_port() { echo $((REDIS_PORTS[$1] + PORT_OFFSET)); }
url_of() { echo "http://127.0.0.1:$(http_port "$1")"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The HTTP status of a GET on localhost, with bash alone (curl may not be installed).
http_status() {
  local port=$1 path=$2 line
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
  read -r -t 2 line <&3 || true
  exec 3>&-
  echo "$line" | awk '{print $2}'
}

# Whether PID is alive and still the process this script started (the PID was not reused).
ours() {
  local pid=$1 marker=$2
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$marker"
}

running_pids() {
  local file
  for file in "$RUN_DIR"/pids/*.pid; do
    [ -e "$file" ] || continue
    local pid marker
    read -r pid marker <"$file"
    if ours "$pid" "$marker"; then echo "$pid"; fi
  done
}

stop_all() {
  local file pid marker name
  # Services first (they drain), then their Redis servers.
  for name in gateway webapp invoices products customers redis-customers redis-products redis-invoices; do
    file="$RUN_DIR/pids/$name.pid"
    [ -e "$file" ] || continue
    read -r pid marker <"$file"
    if ours "$pid" "$marker"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do ours "$pid" "$marker" || break; sleep 0.1; done
      if ours "$pid" "$marker"; then kill -KILL "$pid" 2>/dev/null || true; fi
      echo "stopped $name (pid $pid)"
    fi
    rm -f "$file"
  done
}

build_if_missing() {
  local service missing=0
  for service in "${SERVICES[@]}"; do
    [ -f "$ROOT/$service/target/$service.jar" ] || missing=1
  done
  if [ "$missing" = 1 ]; then
    echo "building the services (mvn package)..."
    (cd "$ROOT" && mvn -q -B package -DskipTests)
  fi
}

check_ports() {
  local service port busy=0
  for service in "${SERVICES[@]}"; do
    for port in "$(http_port "$service")" "$(management_port "$service")"; do
      if port_in_use "$port"; then echo "port $port ($service) is already in use" >&2; busy=1; fi
    done
  done
  for service in "${DATA_SERVICES[@]}"; do
    port=$(redis_port "$service")
    if port_in_use "$port"; then echo "port $port (Redis of $service) is already in use" >&2; busy=1; fi
  done
  if [ "$busy" = 1 ]; then
    echo "Free those ports, or move every port with PORT_OFFSET (for example PORT_OFFSET=100 $0)." >&2
    exit 1
  fi
}

launch() {
  local name=$1 marker=$2
  shift 2
  "$@" >>"$RUN_DIR/logs/$name.log" 2>&1 &
  echo "$! $marker" >"$RUN_DIR/pids/$name.pid"
}

start_redis() {
  local service=$1 binary=$2
  mkdir -p "$RUN_DIR/data/$service"
  launch "redis-$service" "127.0.0.1:$(redis_port "$service")" "$binary" --port "$(redis_port "$service")" --bind 127.0.0.1 \
    --dir "$RUN_DIR/data/$service" --appendonly yes --save "" --protected-mode yes
}

start_service() {
  local service=$1
  # Five processes share this machine's cores, as the stack's 1-CPU containers do: one event loop
  # each is what a container gets, and measured faster here than one per core (docs/benchmarks.md).
  # shellcheck disable=SC2086
  launch "$service" "$service/target/$service.jar" env \
    HTTP_PORT="$(http_port "$service")" MANAGEMENT_PORT="$(management_port "$service")" \
    REDIS_URL="redis://127.0.0.1:$(redis_port "${service}")" \
    HOSTNAME="$service-local" DISCOVERY=static \
    CUSTOMERS_URLS="$(url_of customers)" PRODUCTS_URLS="$(url_of products)" \
    INVOICES_URLS="$(url_of invoices)" WEBAPP_URLS="$(url_of webapp)" \
    LOG_LEVEL="${LOG_LEVEL:-INFO}" LOG_FORMAT="${LOG_FORMAT:-}" EVENT_LOOPS="${EVENT_LOOPS:-1}" \
    ZIPKIN_URL="${ZIPKIN_URL:-}" TRACE_SAMPLING="${TRACE_SAMPLING:-}" \
    java $JAVA_OPTS -jar "$ROOT/$service/target/$service.jar"
}

wait_ready() {
  local service deadline=$((SECONDS + 60))
  for service in "${SERVICES[@]}"; do
    until [ "$(http_status "$(management_port "$service")" /health/ready 2>/dev/null)" = 200 ]; do
      if ! ours "$(cut -d' ' -f1 "$RUN_DIR/pids/$service.pid")" "$service/target/$service.jar"; then
        echo "$service stopped while starting; its log:" >&2
        tail -n 20 "$RUN_DIR/logs/$service.log" >&2
        return 1
      fi
      if [ $SECONDS -ge $deadline ]; then
        echo "$service is not ready after 60 s; see $RUN_DIR/logs/$service.log" >&2
        return 1
      fi
      sleep 0.2
    done
  done
}

start_all() {
  mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" "$RUN_DIR/data"
  if [ -n "$(running_pids)" ]; then
    echo "Swarmshop already runs from $RUN_DIR; stop it with: $0 stop" >&2
    exit 1
  fi
  check_ports
  build_if_missing
  local binary service
  binary=$(redis_binary "$ROOT" "$RUN_DIR/bin")
  for service in "${DATA_SERVICES[@]}"; do start_redis "$service" "$binary"; done
  for service in "${SERVICES[@]}"; do start_service "$service"; done
  if ! wait_ready; then
    stop_all
    exit 1
  fi
  echo
  echo "Swarmshop is running: open $(url_of gateway)/"
  echo "  API:    $(url_of gateway)/api/customers, /api/products, /api/invoices, /api/status"
  echo "  logs:   $RUN_DIR/logs/    data: $RUN_DIR/data/"
}

case "${1:-foreground}" in
  foreground)
    trap 'echo; stop_all; exit 0' INT TERM
    start_all
    echo "  Ctrl-C stops everything."
    while [ -n "$(running_pids)" ]; do sleep 1; done
    ;;
  start) start_all ;;
  stop) stop_all ;;
  status)
    for file in "$RUN_DIR"/pids/*.pid; do
      [ -e "$file" ] || continue
      read -r pid marker <"$file"
      if ours "$pid" "$marker"; then echo "$(basename "$file" .pid): running (pid $pid)"; else echo "$(basename "$file" .pid): not running"; fi
    done
    ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
