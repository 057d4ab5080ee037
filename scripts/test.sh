#!/usr/bin/env bash
# Runs every test: builds all modules and runs `mvn -B verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B verify "$@"
