#!/usr/bin/env bash
# Builds the fat jars and one image per service, tagged with the project version and `latest`.
# Settings (environment): REGISTRY (swarmshop) is the image prefix; BASE_IMAGE overrides the
# Dockerfiles' eclipse-temurin default (the lab uses a local Debian image, as nothing can be pulled).
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY=${REGISTRY:-swarmshop}
VERSION=$(mvn -q help:evaluate -Dexpression=project.version -DforceStdout)

mvn -q -B package -DskipTests
for service in customers products invoices webapp gateway; do
  args=(--build-arg "SERVICE=$service" --tag "$REGISTRY/$service:$VERSION" --tag "$REGISTRY/$service:latest")
  if [ -n "${BASE_IMAGE:-}" ]; then
    args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  fi
  docker build --quiet "${args[@]}" . >/dev/null
  echo "built $REGISTRY/$service:$VERSION and :latest"
done
