package io.swarmshop.service;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/** What a started service serves, built whole by {@link ServiceApplication#start}. */
public interface Api {
  /**
   * The per-event-loop set-up: runs once on each event loop that serves the API port, on that loop,
   * before it listens. It creates what the loop keeps to itself (the gateway's HTTP client, say) and
   * mounts the routes on the loop's router.
   */
  void setUpEventLoop(Router router);

  /**
   * Paths of the API read over loopback before the service reports ready (see {@link WarmUp}): the
   * requests its callers send most, answered whatever they answer.
   */
  /** An id that no entity has (theirs are made by the services): a warm-up read of it answers 404. */
  String ABSENT_ID = "warm-up-absent";

  default List<String> warmUpPaths() {
    return List.of();
  }

  /** Releases what {@link ServiceApplication#start} opened, after the requests in flight are done. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
