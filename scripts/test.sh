#!/usr/bin/env bash
# Runs every test (mvn -B verify). Installs what the tests need when it is missing (Debian, as root):
# Chromium and its driver for the webapp's browser test. Redis needs nothing: the tests use
# redis-server from PATH, else the binary shipped in the embedded-redis artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh

apt_install /usr/bin/chromium chromium
apt_install /usr/bin/chromedriver chromium-driver

exec mvn -B verify "$@"
