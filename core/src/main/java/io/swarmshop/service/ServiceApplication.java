package io.swarmshop.service;

import io.vertx.core.Future;

/** What a service adds to the shared bootstrap: it opens its storage and clients and gives back its API. */
public interface ServiceApplication {
  /** Opens storage and clients and registers readiness checks; runs once, before any request is served. */
  Future<Api> start(ServiceContext context);

  /**
   * Whether the service's outgoing HTTP calls are counted in {@code /metrics}. A service whose every call
   * is counted again by the service it calls may leave them out: each counted call costs meter lookups.
   */
  default boolean countsOutgoingCalls() {
    return true;
  }
}
