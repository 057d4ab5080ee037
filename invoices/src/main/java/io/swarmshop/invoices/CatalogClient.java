package io.swarmshop.invoices;

import io.swarmshop.calls.Answer;
import io.swarmshop.calls.CallPolicy;
import io.swarmshop.calls.InstanceCalls;
import io.swarmshop.calls.NotReached;
import io.swarmshop.http.JsonBody;
import io.swarmshop.http.Problem;
import io.swarmshop.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads one entity by id from customers or products, through the shared call path (an instance's
 * circuit ejects it when its calls keep failing). An unknown id is an answer (null), not a failure;
 * a dependency that cannot be reached, errs or is too slow is a failure, and the caller gets a 503.
 */
final class CatalogClient {
  /**
   * Two instances at most; a 5xx counts as the instance's failure; no request is sent again after it
   * reached an instance, but one that never left, or whose pooled connection was found closed, is;
   * every answer is read whole.
   */
  static final CallPolicy POLICY = new CallPolicy(2, status -> status >= 500, Set.of(), false,
    failure -> failure instanceof HttpClosedException, Long.MAX_VALUE);
  private static final MultiMap NO_CALLER_HEADERS = MultiMap.caseInsensitiveMultiMap();
  private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("swarmshop-invoices");

  /** A customer or a product as invoices needs it: its name, and a product's exact price. */
  record Entry(String name, BigDecimal price) {}

  /** The dependency answered, but not with the entity or a 404. */
  private static final class UnexpectedAnswer extends RuntimeException {
    UnexpectedAnswer(String message) {
      super(message, null, false, false);
    }
  }

  private final InstanceCalls calls;
  private final String service;
  private final InvoicesSettings.DependencySettings settings;

  CatalogClient(InstanceCalls calls, String service, InvoicesSettings.DependencySettings settings) {
    this.calls = calls;
    this.service = service;
    this.settings = settings;
  }

  /** The entity, or null when the dependency says it does not exist; a failed future with a 503 otherwise. */
  Future<Entry> find(String id, String requestId) {
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.GET)
      .setURI("/" + service + "/" + id)
      .setConnectTimeout(settings.connectTimeoutMs())
      .setIdleTimeout(settings.timeoutMs());
    return calls.call(service, POLICY, options, null, NO_CALLER_HEADERS, headers -> headers
        .set(RequestIds.HEADER_NAME, requestId)
        .set(HttpHeaders.USER_AGENT, USER_AGENT))
      .timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
      .compose(this::entryOf)
      .recover(failure -> Future.failedFuture(Problem.unavailable(
        "The " + service + " service cannot be reached (" + reason(failure) + "); try again shortly.", 1)));
  }

  private Future<Entry> entryOf(Answer answer) {
    return switch (answer.status()) {
      case 200 -> {
        JsonBody entity = JsonBody.parse(answer.body());
        String name = entity.string("name", 1, Integer.MAX_VALUE, true);
        BigDecimal price = service.equals("products") ? entity.decimal("price") : null;
        yield entity.isValid() && (price == null || isMoney(price)) ? Future.succeededFuture(new Entry(name, price))
          : Future.failedFuture(new UnexpectedAnswer("its answer is not a " + service + " entity"));
      }
      case 404 -> Future.succeededFuture(null);
      default -> Future.failedFuture(new UnexpectedAnswer("it answered " + answer.status()));
    };
  }

  /** Whole cents, not negative: what an invoice can be issued at. */
  private static boolean isMoney(BigDecimal price) {
    return price.signum() >= 0 && price.stripTrailingZeros().scale() <= 2;
  }

  private static String reason(Throwable failure) {
    if (failure instanceof NotReached notReached) {
      return notReached.getCause() == null ? "no instance is healthy" : "the connection failed";
    }
    if (failure instanceof TimeoutException) {
      return "it did not answer in time";
    }
    if (failure instanceof UnexpectedAnswer) {
      return failure.getMessage();
    }
    if (failure instanceof Problem) {
      return "its answer is not JSON";
    }
    return "the connection failed";
  }
}
