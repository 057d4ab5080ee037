#!/usr/bin/env bash
# Runs every test (mvn -B verify), lints the API's contract, docs/openapi.yaml, with Redocly's
# OpenAPI linter (its settings: redocly.yaml), checks and tests the stack's Prometheus
# configuration and alerts with promtool, and Alertmanager's configuration with amtool. Installs what the tests need when it is missing (Debian, as
# root): Chromium and its driver for the webapp's browser test, Redis and Sentinel for the failover
# tests, npm for the linter, which goes to REDOCLY_DIR (~/.cache/swarmshop-redocly), prometheus for
# promtool, prometheus-alertmanager for amtool and for the cluster view's alerts in the browser test. Without
# root they still run: the tests use redis-server from PATH, else the binary shipped in the
# embedded-redis artifact, which also runs as a Sentinel.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh

apt_install /usr/bin/chromium chromium
apt_install /usr/bin/chromedriver chromium-driver
apt_install redis-server redis-server || echo "the tests run the embedded-redis binary instead"
apt_install redis-sentinel redis-sentinel || true

apt_install npm npm

# 1.34 runs on Debian's Node.js 18 as on newer ones.
REDOCLY_VERSION=1.34.5
REDOCLY_DIR=${REDOCLY_DIR:-$HOME/.cache/swarmshop-redocly}
redocly=$REDOCLY_DIR/node_modules/.bin/redocly
if [ "$("$redocly" --version 2>/dev/null)" != "$REDOCLY_VERSION" ]; then
  echo "installing @redocly/cli $REDOCLY_VERSION in $REDOCLY_DIR"
  npm install --prefix "$REDOCLY_DIR" --no-save --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION"
fi
# No usage reports nor update checks from the linter.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint --format=stylish docs/openapi.yaml

# The stack's Prometheus configuration and alert rules: valid (check config reads the rules too), and
# each alert fires on the series it is about and on nothing else (prometheus/alerts.test.yml).
apt_install promtool prometheus
apt_install /usr/bin/prometheus-alertmanager prometheus-alertmanager
amtool check-config prometheus/alertmanager.yml
promtool check config prometheus/prometheus.yml
promtool test rules prometheus/alerts.test.yml

exec mvn -B verify "$@"
