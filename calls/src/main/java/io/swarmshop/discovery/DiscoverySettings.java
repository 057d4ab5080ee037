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
public record DiscoverySettings(String mode, Map<String, Target> targets, int dnsRefreshMs, String dockerHost, int dockerScanMs) {
  public static final List<String> MODES = List.of("static", "dns", "docker");
  /** Where each service listens when run on one machine: the ports scripts/lib/services.sh gives them too. */
  public static final Map<String, Integer> LOCAL_PORTS = Map.of("gateway", 8080, "customers", 8081, "products", 8082,
    "invoices", 8083, "webapp", 8084);

  /** One called service: its base URLs for {@code static}, its name and port for {@code dns}. */
  public record Target(String urls, String dnsName, int port) {}

  public static DiscoverySettings from(Environment env, List<String> services) {
    String mode = env.oneOf("DISCOVERY", "static", MODES);
    Map<String, Target> targets = new LinkedHashMap<>();
    for (String service : services) {
      String prefix = Environment.prefixOf(service);
      targets.put(service, new Target(
        env.text(prefix + "URLS", "http://localhost:" + LOCAL_PORTS.getOrDefault(service, 8080)),
        env.text(prefix + "DNS", "tasks." + service),
        env.port(prefix + "PORT", 8080)));
    }
    return new DiscoverySettings(mode, targets,
      env.milliseconds("DNS_REFRESH_MS", 2000, 100, 600_000),
      env.text("DOCKER_HOST", "unix:///var/run/docker.sock"),
      env.milliseconds("DOCKER_SCAN_MS", 3000, 100, 600_000));
  }

  public List<String> services() {
    return List.copyOf(targets.keySet());
  }

  /** The importer's configuration, in the shape vertx-service-discovery hands it. */
  JsonObject importerConfig() {
    JsonObject perService = new JsonObject();
    targets.forEach((service, target) -> perService.put(service, switch (mode) {
      case "static" -> target.urls();
      case "dns" -> new JsonObject().put("host", target.dnsName()).put("port", target.port());
      default -> new JsonObject();
    }));
    return new JsonObject()
      .put("services", perService)
      .put("refresh-ms", dnsRefreshMs)
      .put("docker-host", dockerHost)
      .put("scan-period", dockerScanMs);
  }
}
