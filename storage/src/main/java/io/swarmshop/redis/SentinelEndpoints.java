package io.swarmshop.redis;

import io.swarmshop.http.Problem;
import io.swarmshop.service.HostAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every address of every Sentinel host, in a new order each time so that no dead one is always asked
 * first. A host whose name is not answered in time counts with the addresses it had: a slow DNS must
 * not look like every Sentinel gone.
 */
final class SentinelEndpoints implements Supplier<Future<List<String>>> {
  private final List<RedisSettings.Endpoint> sentinels;
  private final HostAddresses addresses;
  private final Map<String, List<String>> lastKnown = new ConcurrentHashMap<>();

  SentinelEndpoints(Vertx vertx, List<RedisSettings.Endpoint> sentinels) {
    this.sentinels = List.copyOf(sentinels);
    this.addresses = new HostAddresses(vertx);
  }

  @Override
  public Future<List<String>> get() {
    List<Future<List<String>>> resolved = sentinels.stream().map(this::endpointsOf).toList();
    return Future.all(resolved).compose(all -> {
      List<String> endpoints = new ArrayList<>();
      resolved.forEach(found -> endpoints.addAll(found.result()));
      if (endpoints.isEmpty()) {
        return Future.failedFuture(Problem.unavailable("The data store is not answering; try again shortly.", 1));
      }
      Collections.shuffle(endpoints);
      return Future.succeededFuture(endpoints);
    });
  }

  private Future<List<String>> endpointsOf(RedisSettings.Endpoint sentinel) {
    String key = sentinel.host() + ":" + sentinel.port();
    return addresses.of(sentinel.host())
      .map(found -> found.stream().map(address -> "redis://" + address + ":" + sentinel.port()).toList())
      .onSuccess(endpoints -> lastKnown.put(key, endpoints))
      .recover(slow -> Future.succeededFuture(lastKnown.getOrDefault(key, List.of())));
  }
}
