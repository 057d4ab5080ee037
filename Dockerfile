# One image recipe for every service: docker build --build-arg SERVICE=customers -t swarmshop/customers .
# Build from the repository root after `mvn package` (scripts/build-images.sh does both).
ARG BASE_IMAGE=eclipse-temurin:17-jre-noble
FROM ${BASE_IMAGE}
ARG SERVICE
RUN test -n "${SERVICE}" && groupadd --system swarmshop && useradd --system --gid swarmshop --no-create-home swarmshop
COPY --chown=root:root ${SERVICE}/target/${SERVICE}.jar /app/service.jar
ENV HTTP_PORT=8080 MANAGEMENT_PORT=9000 LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k"
# A class-data archive of what the service loads to start (started here with nothing to reach, and
# stopped once it serves): a task started from it loads and verifies far fewer classes, and takes
# about half the CPU to become ready, which a node starting a replica beside its others is short of.
RUN bash -c 'java -XX:ArchiveClassesAtExit=/app/service.jsa -jar /app/service.jar >/tmp/archive.log 2>&1 & pid=$!; \
    for attempt in $(seq 120); do (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null && break; sleep 0.5; done; \
    kill -TERM $pid; wait $pid && test -s /app/service.jsa || { cat /tmp/archive.log; exit 1; }'
USER swarmshop
EXPOSE 8080 9000
# bash built-ins only: the base image need not have curl or wget.
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == *' 200 '* ]]"]
# Exec form: the JVM is PID 1's command and receives SIGTERM itself, so it drains.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/service.jsa", "-jar", "/app/service.jar"]
