#!/usr/bin/env bash
# Builds the fat jars, one image per service and the image of the stack's Redis servers and Sentinels
# (redis/), each tagged with the project version, `latest` and TAG.
# Settings (environment): REGISTRY (swarmshop) is the image prefix; TAG (latest) is the tag a deploy
# uses; BASE_IMAGE overrides the Dockerfile's eclipse-temurin default and REDIS_BASE_IMAGE
# redis/Dockerfile's redis:7-bookworm (the lab uses a local Debian image for both, as nothing can be
# pulled). SKIP_PACKAGE=1 uses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

REGISTRY=${REGISTRY:-swarmshop}
TAG=${TAG:-latest}
# The project version is the first <version> of the root pom (it has no parent).
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

if [ -z "${SKIP_PACKAGE:-}" ]; then
  mvn -q -B -Dstyle.color=never package -DskipTests
fi
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
# build IMAGE BASE ARGS...: the image from the repository root, on BASE when it is set.
build() {
  local image=$1 base=$2
  shift 2
  local args=(--tag "$REGISTRY/$image:$VERSION" --tag "$REGISTRY/$image:latest" --tag "$REGISTRY/$image:$TAG" "$@")
  if [ -n "$base" ]; then
    args+=(--build-arg "BASE_IMAGE=$base")
  fi
  # The classic builder: it needs no buildx plugin and works with any engine, the lab's 20.10 included.
  if ! DOCKER_BUILDKIT=0 docker build "${args[@]}" . >"$build_log" 2>&1; then
    cat "$build_log" >&2
    exit 1
  fi
  echo "built $REGISTRY/$image:$VERSION, :latest and :$TAG"
}
for service in "${SERVICES[@]}"; do
  build "$service" "${BASE_IMAGE:-}" --build-arg "SERVICE=$service"
done
build redis "${REDIS_BASE_IMAGE:-}" -f redis/Dockerfile
