package io.swarmshop.discovery;

import io.swarmshop.service.Environment;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a process finds the instances of the services it calls: {@code DISCOVERY} names the importer,
 * and every service has its static URLs and its DNS name and port (all read, whichever the mode, so a
 * bad one is refused at start).
 */
public record DiscoverySettings(String mode, Map<String, Target> targets, int dnsRefreshMs, String dockerHost, int dockerScanMs,
                                int slowStartMs) {
  public static final List<String> MODES = List.of("static", "dns", "docker");
  /** Where each service listens when run on one machine: the ports scripts/lib/services.sh gives them too. */
  public static final Map<String, Integer> LOCAL_PORTS = Map.of("gateway", 8080, "customers", 8081, "products", 8082,
    "invoices", 8083, "webapp", 8084);

  /** One called service: its base URLs for {@code static}, its name and port for {@code dns}; optional: it may not exist. */
  public record Target(String urls, String dnsName, int port, boolean optional) {}

  public static DiscoverySettings from(Environment env, List<String> services) {
    return from(env, services, List.of());
  }

  /**
   * {@code optional} services (a canary) are found like the others but have no static URLs unless
   * given: run on one machine, they are not there.
   */
  public static DiscoverySettings from(Environment env, List<String> services, List<String> optional) {
    String mode = env.oneOf("DISCOVERY", "static", MODES);
    Map<String, Target> targets = new LinkedHashMap<>();
    for (String service : services) {
      targets.put(service, target(env, service, "http://localhost:" + LOCAL_PORTS.getOrDefault(service, 8080), false));
    }
    for (String service : optional) {
      targets.put(service, target(env, service, "", true));
    }
    return new DiscoverySettings(mode, targets,
      env.milliseconds("DNS_REFRESH_MS", 2000, 100, 600_000),
      env.text("DOCKER_HOST", "unix:///var/run/docker.sock"),
      env.milliseconds("DOCKER_SCAN_MS", 3000, 100, 600_000),
      env.milliseconds("SLOW_START_MS", 10_000, 0, 600_000));
  }

  private static Target target(Environment env, String service, String defaultUrls, boolean optional) {
    String prefix = Environment.prefixOf(service);
    return new Target(env.text(prefix + "URLS", defaultUrls), env.text(prefix + "DNS", "tasks." + service), env.port(prefix + "PORT", 8080),
      optional);
  }

  public List<String> services() {
    return List.copyOf(targets.keySet());
  }

  /** The importer's configuration, in the shape vertx-service-discovery hands it. */
  JsonObject importerConfig() {
    JsonObject perService = new JsonObject();
    targets.forEach((service, target) -> perService.put(service, switch (mode) {
      case "static" -> target.urls();
      case "dns" -> new JsonObject().put("host", target.dnsName()).put("port", target.port()).put("optional", target.optional());
      default -> new JsonObject();
    }));
    return new JsonObject()
      .put("services", perService)
      .put("refresh-ms", dnsRefreshMs)
      .put("docker-host", dockerHost)
      .put("scan-period", dockerScanMs);
  }
}
