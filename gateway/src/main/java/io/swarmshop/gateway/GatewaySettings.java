package io.swarmshop.gateway;

import io.swarmshop.calls.CircuitSettings;
import io.swarmshop.discovery.DiscoverySettings;
import io.swarmshop.service.Environment;
import java.net.URI;
import java.util.List;

/**
 * What the gateway is configured by: where its upstreams are, how long each may take, when an instance
 * is ejected, and the Alertmanager whose firing alerts {@code /api/status} shows (null: none).
 */
record GatewaySettings(DiscoverySettings discovery, List<Upstream> apis, Upstream webapp, int connectTimeoutMs, int poolSize,
                       CircuitSettings circuits, URI alertmanagerUrl) {
  static final List<String> SERVICES = List.of("customers", "products", "invoices", "webapp");
  private static final int MINUTE_MS = 60_000;

  static GatewaySettings from(Environment env) {
    return new GatewaySettings(
      DiscoverySettings.from(env, SERVICES),
      List.of(api(env, "customers", 2000), api(env, "products", 2000), api(env, "invoices", 3000)),
      new Upstream("webapp", "", "", timeout(env, "webapp", 5000)),
      env.milliseconds("CONNECT_TIMEOUT_MS", 500, 1, MINUTE_MS),
      env.wholeNumber("POOL_SIZE", 64, 1, 4096),
      new CircuitSettings(env.wholeNumber("INSTANCE_MAX_FAILURES", 3, 1, 1000), env.milliseconds("INSTANCE_RESET_MS", 2000, 1, MINUTE_MS)),
      env.httpUrl("ALERTMANAGER_URL"));
  }

  private static Upstream api(Environment env, String service, int defaultTimeoutMs) {
    return new Upstream(service, "/api/" + service, "/" + service, timeout(env, service, defaultTimeoutMs));
  }

  private static int timeout(Environment env, String service, int defaultMs) {
    return env.milliseconds(Environment.prefixOf(service) + "TIMEOUT_MS", defaultMs, 1, 10 * MINUTE_MS);
  }
}
