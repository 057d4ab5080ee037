package io.swarmshop.redis;

import io.swarmshop.service.Environment;
import io.swarmshop.service.InvalidSetting;
import java.util.ArrayList;
import java.util.List;

/**
 * How a data service reaches its Redis: one server at {@code url}, or, when {@code sentinels} are
 * given, whichever server the Sentinels watching {@code master} name the primary. A write is answered
 * only once {@code minReplicas} replicas have it, waiting {@code replicaWaitMs} at most; then how long
 * one command may take and how many connections.
 */
public record RedisSettings(String url, List<Endpoint> sentinels, String master, int minReplicas, int replicaWaitMs,
                            int timeoutMs, int poolSize) {
  /** A host and port; a host may name several addresses (Swarm's {@code tasks.NAME}), each a Sentinel. */
  public record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  public RedisSettings {
    sentinels = List.copyOf(sentinels);
  }

  public static RedisSettings from(Environment env) {
    List<Endpoint> sentinels = endpoints("REDIS_SENTINELS", env.text("REDIS_SENTINELS", ""));
    String master = env.text("REDIS_MASTER", "");
    if (!sentinels.isEmpty() && master.isBlank()) {
      throw new InvalidSetting("REDIS_MASTER must name the primary the Sentinels watch when REDIS_SENTINELS is set");
    }
    return new RedisSettings(
      env.secret("REDIS_URL", "redis://localhost:6379", RedisSettings::withoutPassword),
      sentinels,
      master,
      env.wholeNumber("REDIS_MIN_REPLICAS", sentinels.isEmpty() ? 0 : 1, 0, 16),
      env.milliseconds("REDIS_REPLICA_WAIT_MS", 500, 1, 60_000),
      env.milliseconds("REDIS_TIMEOUT_MS", 1000, 1, 60_000),
      env.wholeNumber("REDIS_POOL_SIZE", 16, 1, 1024));
  }

  public boolean usesSentinels() {
    return !sentinels.isEmpty();
  }

  /** {@code host:port,host:port}; blank for none. */
  static List<Endpoint> endpoints(String name, String value) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String item : value.split(",")) {
      String endpoint = item.strip();
      if (endpoint.isEmpty()) {
        continue;
      }
      int colon = endpoint.lastIndexOf(':');
      int port = -1;
      try {
        port = colon > 0 ? Integer.parseInt(endpoint.substring(colon + 1)) : -1;
      } catch (NumberFormatException notAPort) {
        // reported below
      }
      if (port < 1 || port > 65_535) {
        throw new InvalidSetting(name + " must be a comma-separated list of host:port, got '" + endpoint + "'");
      }
      endpoints.add(new Endpoint(endpoint.substring(0, colon), port));
    }
    return endpoints;
  }

  /** The URL as it may be logged: {@code redis://:secret@host:6379} shows as {@code redis://:***@host:6379}. */
  static String withoutPassword(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return scheme < 0 || at < scheme ? url : url.substring(0, scheme + 3) + "***" + url.substring(at);
  }

  @Override
  public String toString() {
    return "RedisSettings[url=" + withoutPassword(url) + ", sentinels=" + sentinels + ", master=" + master
      + ", minReplicas=" + minReplicas + ", replicaWaitMs=" + replicaWaitMs + ", timeoutMs=" + timeoutMs + ", poolSize=" + poolSize + "]";
  }
}
