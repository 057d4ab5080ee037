package io.swarmshop.gateway;

import io.swarmshop.discovery.Discovery;
import io.swarmshop.discovery.Instance;
import io.swarmshop.http.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which task, on which node, answers at each instance's address: its X-Served-By, as its forwarded
 * answers carry it. An instance no answer has named yet is asked (GET /) until it answers, so that the cluster
 * view can place every instance on its node before any request went to it.
 */
final class InstanceNames {
  private static final long REFRESH_MS = 2000;
  private static final int ASK_TIMEOUT_MS = 1000;

  private record Address(String host, int port) {}

  private final Discovery discovery;
  private final HttpClient client;
  private final Map<Address, String> names = new ConcurrentHashMap<>();
  private final Set<Address> asking = ConcurrentHashMap.newKeySet();
  private final Vertx vertx;
  private final long timer;

  InstanceNames(Vertx vertx, Discovery discovery) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.client = vertx.createHttpClient();
    this.timer = vertx.setPeriodic(REFRESH_MS, tick -> refresh());
  }

  /** An answer's X-Served-By; stored only when it changed (an address can pass to another task). */
  void answered(Instance instance, String servedBy) {
    if (servedBy != null) {
      Address address = new Address(instance.host(), instance.port());
      if (!servedBy.equals(names.get(address))) {
        names.put(address, servedBy);
      }
    }
  }

  /** The instance's X-Served-By, or null while it is not known. */
  String servedBy(Instance instance) {
    return names.get(new Address(instance.host(), instance.port()));
  }

  private void refresh() {
    Set<Address> known = discovery.services().stream()
      .flatMap(service -> discovery.instances(service).stream())
      .map(instance -> new Address(instance.host(), instance.port()))
      .collect(Collectors.toSet());
    names.keySet().retainAll(known);
    known.stream().filter(address -> !names.containsKey(address) && asking.add(address)).forEach(this::ask);
  }

  private void ask(Address address) {
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(address.host()).setPort(address.port()).setURI("/")
        .setConnectTimeout(ASK_TIMEOUT_MS).setIdleTimeout(ASK_TIMEOUT_MS))
      .compose(request -> request.send())
      .compose(response -> {
        String servedBy = response.getHeader(RequestIds.SERVED_BY_NAME);
        if (servedBy != null) {
          names.put(address, servedBy);
        }
        return response.end();
      })
      .onComplete(done -> asking.remove(address));
  }

  void close() {
    vertx.cancelTimer(timer);
    client.close();
  }
}
