package io.swarmshop.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A primary, two replicas and three Sentinels watching them, as the stack runs each data service's
 * Redis, all real processes on loopback. Every server refuses writes unless a replica is in reach
 * ({@code min-replicas-to-write 1}), as in the stack. {@link #close()} stops them all.
 */
public final class ReplicatedRedis implements AutoCloseable {
  /** How long the Sentinels wait before they hold a silent primary down, as in the stack. */
  public static final int DOWN_AFTER_MS = 1000;

  private final String master;
  private final List<RedisServer> servers = new ArrayList<>();
  private final List<RedisServer> sentinels = new ArrayList<>();

  private ReplicatedRedis(String master) {
    this.master = master;
  }

  /** {@code maxLagSeconds}: how long a primary goes on taking writes after its last replica went silent. */
  public static ReplicatedRedis start(String master, int maxLagSeconds) {
    ReplicatedRedis redis = new ReplicatedRedis(master);
    try {
      // A replica that (re)joins gets the data at once, not after the default five seconds of waiting for others.
      List<String> options = List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag", String.valueOf(maxLagSeconds),
        "--repl-diskless-sync-delay", "0");
      RedisServer primary = RedisServer.start(options);
      redis.servers.add(primary);
      for (int i = 0; i < 2; i++) {
        List<String> replica = new ArrayList<>(options);
        replica.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(primary.port())));
        redis.servers.add(RedisServer.start(replica));
      }
      Eventually.eventually(Duration.ofSeconds(10), "both replicas in sync with the primary",
        () -> primary.call("INFO", "replication").get(0).split("state=online", -1).length == 3);
      String configuration = String.join("\n",
        "sentinel monitor " + master + " 127.0.0.1 " + primary.port() + " 2",
        "sentinel down-after-milliseconds " + master + " " + DOWN_AFTER_MS,
        "sentinel failover-timeout " + master + " 3000",
        "sentinel parallel-syncs " + master + " 16",
        "");
      for (int i = 0; i < 3; i++) {
        redis.sentinels.add(RedisServer.sentinel(configuration));
      }
      Eventually.eventually(Duration.ofSeconds(15), "each Sentinel to know the two others and both replicas", () ->
        redis.sentinels.stream().allMatch(sentinel -> {
          String state = String.join(" ", sentinel.call("SENTINEL", "MASTER", master));
          return state.contains("num-other-sentinels 2") && state.contains("num-slaves 2");
        }));
      return redis;
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  /** The services' settings that point them at these Sentinels. */
  public Map<String, String> settings() {
    return Map.of(
      "REDIS_SENTINELS", sentinels.stream().map(sentinel -> "127.0.0.1:" + sentinel.port()).collect(Collectors.joining(",")),
      "REDIS_MASTER", master);
  }

  /** The server the Sentinels name the primary. */
  public RedisServer primary() {
    for (RedisServer sentinel : sentinels) {
      if (!sentinel.isRunning()) {
        continue;
      }
      List<String> address = sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", master);
      int port = Integer.parseInt(address.get(1));
      return servers.stream().filter(server -> server.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("the Sentinels name an unknown primary on port " + port));
    }
    throw new IllegalStateException("no Sentinel runs");
  }

  public List<RedisServer> sentinels() {
    return List.copyOf(sentinels);
  }

  public List<RedisServer> replicas() {
    RedisServer primary = primary();
    return servers.stream().filter(server -> server != primary).toList();
  }

  @Override
  public void close() {
    sentinels.forEach(RedisServer::close);
    servers.forEach(RedisServer::close);
  }
}
