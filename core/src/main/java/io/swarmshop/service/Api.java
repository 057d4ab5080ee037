package io.swarmshop.service;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** What a started service serves, built whole by {@link ServiceApplication#start}. */
public interface Api {
  /**
   * The per-event-loop set-up: runs once on each event loop that serves the API port, on that loop,
   * before it listens. It creates what the loop keeps to itself (the gateway's HTTP client, say) and
   * mounts the routes on the loop's router.
   */
  void setUpEventLoop(Router router);

  /** Releases what {@link ServiceApplication#start} opened, after the requests in flight are done. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
