package io.swarmshop.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/** A started service: where it listens, and how it drains and stops. */
public final class RunningService {
  private static final Logger LOG = Logger.getLogger(RunningService.class.getName());

  private final Vertx vertx;
  private final Api api;
  private final List<HttpServer> apiServers;
  private final HttpServer managementServer;
  private final AtomicBoolean draining;
  private final Tracing tracing;

  RunningService(Vertx vertx, Api api, List<HttpServer> apiServers,
                 HttpServer managementServer, AtomicBoolean draining, Tracing tracing) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.api = api;
    this.apiServers = apiServers;
    this.managementServer = managementServer;
    this.draining = draining;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return apiServers.get(0).actualPort();
  }

  public int managementPort() {
    return managementServer.actualPort();
  }

  /**
   * Reports not-ready at once, keeps serving for {@code delayMs} so that callers stop choosing this
   * instance, then stops taking connections, lets in-flight requests finish within {@code graceMs},
   * and closes everything.
   */
  public Future<Void> drain(long delayMs, long graceMs) {
    if (!draining.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    LOG.info("draining: not ready; closing the API port in " + delayMs + " ms, then up to " + graceMs + " ms for in-flight requests");
    Future<Void> delay = delayMs > 0 ? vertx.timer(delayMs, TimeUnit.MILLISECONDS).mapEmpty() : Future.succeededFuture();
    // The answer must not wait on an event loop: once Vert.x is closed, none is left to deliver it.
    Promise<Void> stopped = Promise.promise();
    delay
      .compose(waited -> Future.join(apiServers.stream().map(server -> server.shutdown(graceMs, TimeUnit.MILLISECONDS)).toList()))
      .eventually(api::close)
      .eventually(managementServer::close)
      .onComplete(portsClosed -> vertx.close().eventually(tracing::close).onComplete(stopped));
    return stopped.future();
  }

  /** Stops at once, as a crash would from the callers' side; for tests. */
  public Future<Void> close() {
    draining.set(true);
    return vertx.close().eventually(tracing::close);
  }
}
