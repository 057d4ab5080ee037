package io.swarmshop.system;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.FreePorts;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.swarmshop.testing.Started;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system in this JVM, every part for real: three Redis servers, two customers instances
 * (customers-a and customers-b, sharing their Redis as Swarm replicas do), products, invoices, the
 * webapp and the gateway, each on its own free ports, each also given the settings the system was
 * made with (tracing, say). As on a swarm, each runs on a node: customers-b on node-2, all else on node-1.
 */
final class LocalSystem implements AutoCloseable {
  private final Started started = new Started();
  private final RedisServer customersRedis;
  private final int[] customerPorts = {FreePorts.find(), FreePorts.find()};
  private final RunningService[] customers = new RunningService[2];
  private final RunningService gateway;
  private final ContractCheck contract = new ContractCheck();
  private final Map<String, String> everyService;

  LocalSystem() {
    this(Map.of());
  }

  LocalSystem(Map<String, String> everyService) {
    this(everyService, 0);
  }

  /**
   * With {@code customersCanaryPercent} above 0, a third customers instance (on node-3, the same
   * Redis) is customers' canary, and gets that share of its requests.
   */
  LocalSystem(Map<String, String> everyService, int customersCanaryPercent) {
    this.everyService = Map.copyOf(everyService);
    try {
      customersRedis = started.redis();
      for (int i = 0; i < customers.length; i++) {
        startCustomers(i);
      }
      RunningService products = started.serviceWithRedis("products", io.swarmshop.products.Main::application, with(Map.of()));
      String customersUrls = "http://127.0.0.1:" + customerPorts[0] + ",http://127.0.0.1:" + customerPorts[1];
      String productsUrl = "http://127.0.0.1:" + products.httpPort();
      RunningService invoices = started.serviceWithRedis("invoices", io.swarmshop.invoices.Main::application, with(Map.of(
        "CUSTOMERS_URLS", customersUrls, "PRODUCTS_URLS", productsUrl)));
      RunningService webapp = started.service("webapp", io.swarmshop.webapp.Main::application, with(Map.of()));
      Map<String, String> canary = new HashMap<>();
      if (customersCanaryPercent > 0) {
        RunningService customersCanary = started.service("customers", io.swarmshop.customers.Main::application, with(Map.of(
          "REDIS_URL", customersRedis.url(), "HOSTNAME", "customers-canary", "NODE_NAME", "node-3")));
        canary.put("CUSTOMERS_CANARY_URLS", "http://127.0.0.1:" + customersCanary.httpPort());
        canary.put("CUSTOMERS_CANARY_PERCENT", String.valueOf(customersCanaryPercent));
      }
      gateway = started.service("gateway", io.swarmshop.gateway.Main::application, with(canary, Map.of(
        "CUSTOMERS_URLS", customersUrls,
        "PRODUCTS_URLS", productsUrl,
        "INVOICES_URLS", "http://127.0.0.1:" + invoices.httpPort(),
        "WEBAPP_URLS", "http://127.0.0.1:" + webapp.httpPort(),
        "INSTANCE_MAX_FAILURES", "2",
        "INSTANCE_RESET_MS", "1000")));
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  int gatewayPort() {
    return gateway.httpPort();
  }

  /** A client of the gateway whose every exchange is held to the contract (see {@link #contractProblems()}). */
  Http gateway(Vertx vertx) {
    return new Http(vertx, gateway.httpPort(), contract);
  }

  /** What the contract check found in the exchanges of {@link #gateway(Vertx)}'s clients. */
  List<String> contractProblems() {
    return contract.problems();
  }

  int gatewayManagementPort() {
    return gateway.managementPort();
  }

  String customersUrl(int index) {
    return "http://127.0.0.1:" + customerPorts[index];
  }

  /** Stops a customers instance abruptly, as a crash would. */
  void killCustomers(int index) {
    Http.await(customers[index].close());
    customers[index] = null;
  }

  void startCustomers(int index) {
    Map<String, String> settings = new HashMap<>();
    settings.put("REDIS_URL", customersRedis.url());
    settings.put("HTTP_PORT", String.valueOf(customerPorts[index]));
    settings.put("HOSTNAME", "customers-" + (char) ('a' + index));
    settings.put("NODE_NAME", "node-" + (index + 1));
    customers[index] = started.service("customers", io.swarmshop.customers.Main::application, with(settings));
  }

  private Map<String, String> with(Map<String, String> own) {
    return with(Map.of(), own);
  }

  private Map<String, String> with(Map<String, String> more, Map<String, String> own) {
    Map<String, String> settings = new HashMap<>(Map.of("NODE_NAME", "node-1"));
    settings.putAll(everyService);
    settings.putAll(more);
    settings.putAll(own);
    return settings;
  }

  @Override
  public void close() {
    started.close();
  }
}
