#!/usr/bin/env bash
# Runs every test (mvn -B verify). Installs what the tests need when it is missing (Debian, as root):
# Chromium and its driver for the webapp's browser test, Redis and Sentinel for the failover tests.
# Without root they still run: the tests use redis-server from PATH, else the binary shipped in the
# embedded-redis artifact, which also runs as a Sentinel.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh

apt_install /usr/bin/chromium chromium
apt_install /usr/bin/chromedriver chromium-driver
apt_install redis-server redis-server || echo "the tests run the embedded-redis binary instead"
apt_install redis-sentinel redis-sentinel || true

exec mvn -B verify "$@"
