package io.swarmshop.gateway;

import io.swarmshop.calls.CircuitSettings;
import io.swarmshop.discovery.DiscoverySettings;
import io.swarmshop.service.Environment;
import java.net.URI;
import java.util.List;

/**
 * What the gateway is configured by: where its upstreams and their canaries are, how long each may
 * take, the share of each one's requests its canary gets, when an instance is ejected, and the
 * Alertmanager whose firing alerts {@code /api/status} shows (null: none).
 */
record GatewaySettings(DiscoverySettings discovery, List<Upstream> apis, Upstream webapp, int connectTimeoutMs, int poolSize,
                       CircuitSettings circuits, URI alertmanagerUrl) {
  static final List<String> SERVICES = List.of("customers", "products", "invoices", "webapp");
  private static final int MINUTE_MS = 60_000;

  static GatewaySettings from(Environment env) {
    return new GatewaySettings(
      DiscoverySettings.from(env, SERVICES, SERVICES.stream().map(service -> service + Upstream.CANARY_SUFFIX).toList()),
      List.of(api(env, "customers", 2000), api(env, "products", 2000), api(env, "invoices", 3000)),
      new Upstream("webapp", "", "", timeout(env, "webapp", 5000), canaryPercent(env, "webapp")),
      env.milliseconds("CONNECT_TIMEOUT_MS", 500, 1, MINUTE_MS),
      env.wholeNumber("POOL_SIZE", 64, 1, 4096),
      new CircuitSettings(env.wholeNumber("INSTANCE_MAX_FAILURES", 3, 1, 1000), env.milliseconds("INSTANCE_RESET_MS", 2000, 1, MINUTE_MS),
        env.milliseconds("INSTANCE_SLOW_CALL_MS", 0, 0, MINUTE_MS)),
      env.httpUrl("ALERTMANAGER_URL"));
  }

  private static Upstream api(Environment env, String service, int defaultTimeoutMs) {
    return new Upstream(service, "/api/" + service, "/" + service, timeout(env, service, defaultTimeoutMs), canaryPercent(env, service));
  }

  private static int canaryPercent(Environment env, String service) {
    return env.wholeNumber(Environment.prefixOf(service) + "CANARY_PERCENT", 0, 0, 100);
  }

  private static int timeout(Environment env, String service, int defaultMs) {
    return env.milliseconds(Environment.prefixOf(service) + "TIMEOUT_MS", defaultMs, 1, 10 * MINUTE_MS);
  }
}
