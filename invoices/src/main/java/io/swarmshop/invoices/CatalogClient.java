package io.swarmshop.invoices;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.ConnectTimeoutException;
import io.swarmshop.common.Config;
import io.swarmshop.common.ServiceContext;
import io.swarmshop.common.discovery.Discovery;
import io.swarmshop.common.discovery.Instance;
import io.swarmshop.common.http.Problem;
import io.swarmshop.common.http.RequestIds;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Reads one entity by id from customers or products, through a web client wrapped in that
 * dependency's circuit breaker. An unknown id is an answer (null), not a failure; a dependency that
 * cannot be reached, errs or is too slow is a failure the breaker counts, and the caller gets a 503.
 */
final class CatalogClient {
  private static final Logger LOG = Logger.getLogger(CatalogClient.class.getName());

  /** The dependency answered, but not with the entity or a 404. */
  private static final class UnexpectedAnswer extends RuntimeException {
    UnexpectedAnswer(String message) {
      super(message, null, false, false);
    }
  }

  private final Discovery discovery;
  private final String service;
  private final String field;
  private final WebClient client;
  private final CircuitBreaker breaker;
  private final long timeoutMs;
  private final Counter rejected;

  CatalogClient(ServiceContext context, Discovery discovery, String service, String field) {
    Config config = context.config();
    this.discovery = discovery;
    this.service = service;
    this.field = field;
    this.timeoutMs = config.integer("DEPENDENCY_TIMEOUT_MS", 800);
    this.client = WebClient.create(context.vertx(), new WebClientOptions()
        .setConnectTimeout(config.integer("DEPENDENCY_CONNECT_TIMEOUT_MS", 250))
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setMaxRedirects(0)
        .setUserAgent("swarmshop-invoices"),
      new PoolOptions().setHttp1MaxSize(config.integer("DEPENDENCY_POOL_SIZE", 32)).setMaxWaitQueueSize(4096));
    this.breaker = CircuitBreaker.create(service, context.vertx(), new CircuitBreakerOptions()
      .setMaxFailures(config.integer("CIRCUIT_MAX_FAILURES", 5))
      .setTimeout(timeoutMs)
      .setResetTimeout(config.integer("CIRCUIT_RESET_MS", 2000))
      // No event-bus notifications: they make every call record into a shared, locked histogram.
      .setNotificationAddress(null));
    breaker
      .openHandler(v -> LOG.warning("circuit to " + service + " opened"))
      .halfOpenHandler(v -> LOG.info("circuit to " + service + " half-open: probing"))
      .closeHandler(v -> LOG.info("circuit to " + service + " closed"));
    Gauge.builder("swarmshop.circuit.state", breaker, CatalogClient::stateValue)
      .description("Circuit to a dependency: 0 closed, 1 half-open, 2 open")
      .tag("dependency", service)
      .register(context.meters());
    Gauge.builder("swarmshop.circuit.failures", breaker, b -> b.failureCount())
      .description("Failures the circuit counts in its rolling window")
      .tag("dependency", service)
      .register(context.meters());
    this.rejected = Counter.builder("swarmshop.circuit.rejected")
      .description("Calls answered without calling the dependency, as its circuit was open")
      .tag("dependency", service)
      .register(context.meters());
  }

  String field() {
    return field;
  }

  /** The entity, or null when the dependency says it does not exist; a failed future with a 503 otherwise. */
  Future<JsonObject> find(String id, String requestId) {
    return breaker.<JsonObject>execute(() -> call(id, requestId))
      .recover(failure -> {
        if (failure instanceof OpenCircuitException) {
          rejected.increment();
        }
        return Future.failedFuture(Problem.unavailable(
          "The " + service + " service cannot be reached (" + reason(failure) + "); try again shortly.", 1));
      });
  }

  /** One call; a connection that failed before the request went out is tried once more on another instance. */
  private Future<JsonObject> call(String id, String requestId) {
    Instance first = discovery.next(service, any -> true);
    if (first == null) {
      return Future.failedFuture(new UnexpectedAnswer("no instance is known"));
    }
    return send(first, id, requestId).recover(failure -> {
      Instance other = neverReached(failure) ? discovery.next(service, candidate -> !candidate.equals(first)) : null;
      return other == null ? Future.failedFuture(failure) : send(other, id, requestId);
    });
  }

  private Future<JsonObject> send(Instance instance, String id, String requestId) {
    return client.get(instance.port(), instance.host(), "/" + service + "/" + id)
      .putHeader(RequestIds.HEADER, requestId)
      .timeout(timeoutMs)
      .send()
      .compose(this::entityOf);
  }

  private Future<JsonObject> entityOf(HttpResponse<Buffer> response) {
    return switch (response.statusCode()) {
      case 200 -> Future.succeededFuture(response.bodyAsJsonObject());
      case 404 -> Future.succeededFuture(null);
      default -> Future.failedFuture(new UnexpectedAnswer("it answered " + response.statusCode()));
    };
  }

  private static boolean neverReached(Throwable failure) {
    return failure instanceof ConnectException
      || failure instanceof ConnectTimeoutException
      || failure instanceof HttpClosedException;
  }

  private static String reason(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return "its circuit is open";
    }
    if (failure instanceof TimeoutException) {
      return "it did not answer in time";
    }
    return failure instanceof UnexpectedAnswer ? failure.getMessage() : "the connection failed";
  }

  private static double stateValue(CircuitBreaker breaker) {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  void close() {
    breaker.close();
    client.close();
  }
}
