package io.swarmshop.testing;

import io.swarmshop.service.RunningService;
import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceApplication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a test starts: Redis servers and services in this JVM. {@link #close()} stops the services,
 * then the Redis servers, whether the test passed or not; stopping one twice is harmless.
 */
public final class Started implements AutoCloseable {
  private final List<RunningService> services = new ArrayList<>();
  /** How to stop each Redis started, in the order started. */
  private final List<Runnable> redisStops = new ArrayList<>();

  public RedisServer redis() {
    RedisServer redis = RedisServer.start();
    redisStops.add(redis::close);
    return redis;
  }

  /** A primary, two replicas and three Sentinels watching them under the name {@code master}. */
  public ReplicatedRedis replicatedRedis(String master, int maxLagSeconds) {
    ReplicatedRedis redis = ReplicatedRedis.start(master, maxLagSeconds);
    redisStops.add(redis::close);
    return redis;
  }

  public RunningService service(String name, Function<Environment, ServiceApplication> application, Map<String, String> settings) {
    RunningService service = Services.start(name, application, settings);
    services.add(service);
    return service;
  }

  /** A service on a Redis server of its own. */
  public RunningService serviceWithRedis(String name, Function<Environment, ServiceApplication> application, Map<String, String> settings) {
    Map<String, String> withRedis = new HashMap<>(settings);
    withRedis.put("REDIS_URL", redis().url());
    return service(name, application, withRedis);
  }

  @Override
  public void close() {
    services.forEach(service -> Http.await(service.close()));
    services.clear();
    redisStops.forEach(Runnable::run);
    redisStops.clear();
  }
}
