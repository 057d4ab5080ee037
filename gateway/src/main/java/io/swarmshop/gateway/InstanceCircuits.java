package io.swarmshop.gateway;

import io.swarmshop.common.Config;
import io.swarmshop.common.discovery.Discovery;
import io.swarmshop.common.discovery.Instance;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One circuit breaker per instance. An instance whose calls keep failing is ejected (its circuit
 * opens); when the circuit turns half-open the gateway probes it itself, so that a recovered instance
 * comes back even when no request would have been sent to it.
 */
final class InstanceCircuits {
  private static final Logger LOG = Logger.getLogger(InstanceCircuits.class.getName());

  private final Vertx vertx;
  private final Discovery discovery;
  private final HttpClient probeClient;
  private final CircuitBreakerOptions options;
  private final Map<Key, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final long pruneTimer;

  InstanceCircuits(Vertx vertx, Discovery discovery, HttpClient probeClient, Config config) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.probeClient = probeClient;
    this.options = new CircuitBreakerOptions()
      .setMaxFailures(config.integer("INSTANCE_MAX_FAILURES", 3))
      .setResetTimeout(config.integer("INSTANCE_RESET_MS", 2000))
      .setFailuresRollingWindow(10_000)
      // The forwarder sets its own per-route time limits.
      .setTimeout(-1)
      // No event-bus notifications: they make every call record into a shared, locked histogram.
      .setNotificationAddress(null);
    this.pruneTimer = vertx.setPeriodic(10_000, tick -> prune());
  }

  CircuitBreaker of(Instance instance) {
    return breakers.computeIfAbsent(key(instance), key -> {
      CircuitBreaker breaker = CircuitBreaker.create(instance.service() + " " + instance.url(), vertx, options);
      breaker
        .openHandler(v -> LOG.warning(instance.service() + " instance " + instance.url() + " ejected: its calls fail"))
        .halfOpenHandler(v -> probe(instance, breaker))
        .closeHandler(v -> LOG.info(instance.service() + " instance " + instance.url() + " is back"));
      return breaker;
    });
  }

  CircuitBreakerState state(Instance instance) {
    CircuitBreaker breaker = breakers.get(key(instance));
    return breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
  }

  boolean healthy(Instance instance) {
    return state(instance) == CircuitBreakerState.CLOSED;
  }

  /** Any HTTP answer proves the instance is reachable and serving; only a failed connection or silence does not. */
  private void probe(Instance instance, CircuitBreaker breaker) {
    breaker.<Void>execute(() -> probeClient.request(new RequestOptions()
        .setMethod(HttpMethod.GET).setHost(instance.host()).setPort(instance.port()).setURI("/")
        .setConnectTimeout(500).setIdleTimeout(1000))
      .compose(request -> request.send())
      .compose(response -> response.end()));
  }

  /** Forgets the circuits of instances discovery no longer knows. */
  private void prune() {
    Set<Key> known = discovery.services().stream()
      .flatMap(service -> discovery.instances(service).stream())
      .map(InstanceCircuits::key)
      .collect(Collectors.toSet());
    breakers.entrySet().removeIf(entry -> {
      boolean gone = !known.contains(entry.getKey());
      if (gone) {
        entry.getValue().close();
      }
      return gone;
    });
  }

  /**
   * An instance's circuit outlives discovery's record of it (a refresh may give it a new registration
   * id), so it is found by service and address; no string is built for that on every request.
   */
  private record Key(String service, String host, int port) {}

  private static Key key(Instance instance) {
    return new Key(instance.service(), instance.host(), instance.port());
  }

  Future<Void> close() {
    vertx.cancelTimer(pruneTimer);
    breakers.values().forEach(CircuitBreaker::close);
    return probeClient.close();
  }
}
