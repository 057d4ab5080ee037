#!/usr/bin/env bash
# Builds the fat jars and one image per service, tagged with the project version and `latest`.
# Settings (environment): REGISTRY (swarmshop) is the image prefix; BASE_IMAGE overrides the
# Dockerfiles' eclipse-temurin default (the lab uses a local Debian image, as nothing can be pulled).
# SKIP_PACKAGE=1 uses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

REGISTRY=${REGISTRY:-swarmshop}
# The project version is the first <version> of the root pom (it has no parent).
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

if [ -z "${SKIP_PACKAGE:-}" ]; then
  mvn -q -B -Dstyle.color=never package -DskipTests
fi
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
for service in "${SERVICES[@]}"; do
  args=(--build-arg "SERVICE=$service" --tag "$REGISTRY/$service:$VERSION" --tag "$REGISTRY/$service:latest")
  if [ -n "${BASE_IMAGE:-}" ]; then
    args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  fi
  # The classic builder: it needs no buildx plugin and works with any engine, the lab's 20.10 included.
  if ! DOCKER_BUILDKIT=0 docker build "${args[@]}" . >"$build_log" 2>&1; then
    cat "$build_log" >&2
    exit 1
  fi
  echo "built $REGISTRY/$service:$VERSION and :latest"
done
