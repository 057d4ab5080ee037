package io.swarmshop.invoices;

import io.swarmshop.calls.CircuitSettings;
import io.swarmshop.discovery.DiscoverySettings;
import io.swarmshop.redis.RedisSettings;
import io.swarmshop.service.Environment;
import java.util.List;

/** What invoices is configured by: its Redis, where customers and products are, and how they are called. */
record InvoicesSettings(RedisSettings redis, DiscoverySettings discovery, DependencySettings dependencies) {
  static final List<String> DEPENDENCIES = List.of("customers", "products");

  static InvoicesSettings from(Environment env) {
    return new InvoicesSettings(RedisSettings.from(env), DiscoverySettings.from(env, DEPENDENCIES), DependencySettings.from(env));
  }

  /** How a call to customers or products is made: its time limits, connections, and when an instance is ejected. */
  record DependencySettings(int timeoutMs, int connectTimeoutMs, int poolSize, CircuitSettings circuits) {
    private static final int MINUTE_MS = 60_000;

    static DependencySettings from(Environment env) {
      return new DependencySettings(
        env.milliseconds("DEPENDENCY_TIMEOUT_MS", 800, 1, MINUTE_MS),
        env.milliseconds("DEPENDENCY_CONNECT_TIMEOUT_MS", 250, 1, MINUTE_MS),
        env.wholeNumber("DEPENDENCY_POOL_SIZE", 32, 1, 4096),
        new CircuitSettings(env.wholeNumber("CIRCUIT_MAX_FAILURES", 5, 1, 1000), env.milliseconds("CIRCUIT_RESET_MS", 2000, 1, MINUTE_MS),
          env.milliseconds("CIRCUIT_SLOW_CALL_MS", 500, 0, MINUTE_MS)));
    }
  }
}
