package io.swarmshop.common;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** What a service adds to the shared bootstrap: its storage and clients, and its routes. */
public interface ServiceApplication {
  /** Opens storage and clients and registers readiness checks; runs once, before any route is served. */
  Future<Void> start(ServiceContext context);

  /** Mounts the service's routes; runs once per event loop serving the API port. */
  void routes(Router router);

  /**
   * Whether the service's outgoing HTTP calls are counted in {@code /metrics}. A service whose every call
   * is counted again by the service it calls may leave them out: each counted call costs meter lookups.
   */
  default boolean countsOutgoingCalls() {
    return true;
  }

  /** Releases what {@link #start} opened, after in-flight requests are done. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
