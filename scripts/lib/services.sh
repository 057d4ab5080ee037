# The services and their local ports, named once for every script. Sourced by run-local.sh,
# build-images.sh, deploy.sh, swarm-e2e.sh, bench.sh and the drills. The Java defaults
# (DiscoverySettings.LOCAL_PORTS) are the same; system-tests' ReadmeTest holds the two together.

# Every service, in the order they start (the gateway last: it finds the others).
SERVICES=(customers products invoices webapp gateway)
# Those that own a Redis.
DATA_SERVICES=(customers products invoices)
# Those the gateway routes to, each run as replicas behind it.
APP_SERVICES=(customers products invoices webapp)
declare -A HTTP_PORTS=([gateway]=8080 [customers]=8081 [products]=8082 [invoices]=8083 [webapp]=8084)
declare -A REDIS_PORTS=([customers]=6391 [products]=6392 [invoices]=6393)
# A service's management port locally is its API port + 1000.
MANAGEMENT_PORT_OFFSET=1000
