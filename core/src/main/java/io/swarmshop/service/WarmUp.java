package io.swarmshop.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Reads the API's own paths over loopback before the service reports ready, so that its first
 * callers do not pay for a cold JVM: on the lab's busy cores a task just started answered its first
 * requests after more than a second and a half, past its callers' limits. What the reads answer
 * does not matter (a 404, a 503 while Redis is not there yet); each gets a second at most, and the
 * whole warm-up {@link #LIMIT_MS}: a node too busy to finish it sooner should not keep the service out.
 */
final class WarmUp {
  static final int ROUNDS = 50;
  private static final int TIMEOUT_MS = 1000;
  static final long LIMIT_MS = 5000;
  private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());

  private final AtomicBoolean done = new AtomicBoolean();

  boolean done() {
    return done.get();
  }

  /** {@code rounds} reads of every path, one after the other; then done, whatever they answered. */
  Future<Void> run(Vertx vertx, int port, List<String> paths, int rounds) {
    if (paths.isEmpty() || rounds == 0) {
      done.set(true);
      return Future.succeededFuture();
    }
    HttpClient client = vertx.createHttpClient();
    long started = System.nanoTime();
    long deadline = started + LIMIT_MS * 1_000_000;
    AtomicInteger sent = new AtomicInteger();
    Future<Void> reads = Future.succeededFuture();
    for (int round = 0; round < rounds; round++) {
      for (String path : paths) {
        reads = reads.compose(previous -> System.nanoTime() < deadline
          ? read(client, port, path).andThen(read -> sent.incrementAndGet()) : Future.succeededFuture());
      }
    }
    return reads.eventually(client::close).onComplete(finished -> {
      done.set(true);
      LOG.info("warmed up in " + (System.nanoTime() - started) / 1_000_000 + " ms: " + sent.get() + " reads of " + paths);
    });
  }

  private static Future<Void> read(HttpClient client, int port, String path) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path)
        .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS))
      .compose(request -> request.send())
      .compose(response -> response.end())
      .otherwiseEmpty();
  }
}
