#!/usr/bin/env bash
# Builds the fat jars, one image per service and the image of the stack's Redis servers and Sentinels
# (redis/), each tagged with the project version, `latest` and TAG.
# Settings (environment): REGISTRY (swarmshop) is the image prefix; TAG (latest) is the tag a deploy
# uses; BASE_IMAGE overrides the Dockerfile's eclipse-temurin default and REDIS_BASE_IMAGE
# redis/Dockerfile's redis:7-bookworm (the lab uses a local Debian image for both, as nothing can be
# pulled). ZIPKIN_BASE_IMAGE, when set, also builds the lab's Zipkin on it (zipkin/Dockerfile), and
# MONITORING_BASE_IMAGE its Prometheus, Alertmanager, node and Redis exporters (monitoring/Dockerfile).
# SKIP_PACKAGE=1 uses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
source scripts/lib/zipkin-jar.sh

REGISTRY=${REGISTRY:-swarmshop}
TAG=${TAG:-latest}
# The project version is the first <version> of the root pom (it has no parent).
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

if [ -z "${SKIP_PACKAGE:-}" ]; then
  mvn -q -B -Dstyle.color=never package -DskipTests
fi
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
# build IMAGE BASE CONTEXT ARGS...: the image from CONTEXT (the repository root for the services and Redis),
# on BASE when it is set.
build() {
  local image=$1 base=$2 context=$3
  shift 3
  local args=(--tag "$REGISTRY/$image:$VERSION" --tag "$REGISTRY/$image:latest" --tag "$REGISTRY/$image:$TAG" "$@")
  if [ -n "$base" ]; then
    args+=(--build-arg "BASE_IMAGE=$base")
  fi
  # The classic builder: it needs no buildx plugin and works with any engine, the lab's 20.10 included.
  if ! DOCKER_BUILDKIT=0 docker build "${args[@]}" "$context" >"$build_log" 2>&1; then
    cat "$build_log" >&2
    exit 1
  fi
  echo "built $REGISTRY/$image:$VERSION, :latest and :$TAG"
}
for service in "${SERVICES[@]}"; do
  build "$service" "${BASE_IMAGE:-}" . --build-arg "SERVICE=$service"
done
build redis "${REDIS_BASE_IMAGE:-}" . -f redis/Dockerfile
# Only where nothing can be pulled (the lab): Zipkin on the local base, from Maven Central's jar, in
# a context of its own (the 130 MB jar stays out of the others').
if [ -n "${ZIPKIN_BASE_IMAGE:-}" ]; then
  fetch_zipkin_jar "$PWD/zipkin/target"
  build zipkin "$ZIPKIN_BASE_IMAGE" zipkin
fi
# Only in the lab, too: each monitoring program from the base image's Debian packages.
if [ -n "${MONITORING_BASE_IMAGE:-}" ]; then
  declare -A programs=([prometheus]=prometheus [alertmanager]=prometheus-alertmanager
    [node-exporter]=prometheus-node-exporter [redis-exporter]=prometheus-redis-exporter)
  for image in "${!programs[@]}"; do
    build "$image" "$MONITORING_BASE_IMAGE" monitoring --build-arg "PROGRAM=${programs[$image]}"
  done
fi
