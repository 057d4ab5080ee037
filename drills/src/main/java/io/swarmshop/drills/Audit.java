package io.swarmshop.drills;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Reads back every invoice the gateway acknowledged. A 404 is a lost invoice. Anything else (a 503 while
 * the system settles) is asked again until the audit's deadline; what is still unanswered then is
 * reported as unverified, which fails the drill as a loss would: it was not proven to be there.
 */
final class InvoiceAudit {
  private static final int PARALLEL = 8;
  private static final long DEADLINE_MS = 60_000;
  private static final long RETRY_MS = 500;

  private final Vertx vertx;
  private final DrillOptions options;
  private final WebClient client;

  record Result(int checked, int found, List<String> lost, List<String> unverified) {
  }

  InvoiceAudit(Vertx vertx, DrillOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.client = WebClient.create(vertx);
  }

  Future<Result> check(List<String> ids) {
    Queue<String> queue = new ArrayDeque<>(ids);
    List<String> lost = new ArrayList<>();
    List<String> unverified = new ArrayList<>();
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      workers.add(drain(queue, lost, unverified, deadline));
    }
    return Future.join(workers).transform(done -> {
      client.close();
      return Future.succeededFuture(new Result(ids.size(), ids.size() - lost.size() - unverified.size(), lost,
        unverified));
    });
  }

  private Future<Void> drain(Queue<String> queue, List<String> lost, List<String> unverified, long deadline) {
    String id = queue.poll();
    if (id == null) {
      return Future.succeededFuture();
    }
    return status(id, deadline).compose(status -> {
      if (status == 404) {
        lost.add(id);
      } else if (status != 200) {
        unverified.add(id);
      }
      return drain(queue, lost, unverified, deadline);
    });
  }

  /** 200 or 404 once the system says so; the last other status (or -1) when the deadline passes first. */
  private Future<Integer> status(String id, long deadline) {
    return client.getAbs(options.gateway() + "/api/invoices/" + id).timeout(options.timeoutMs()).send()
      .map(response -> response.statusCode())
      .otherwise(-1)
      .compose(status -> {
        if (status == 200 || status == 404 || System.currentTimeMillis() > deadline) {
          return Future.succeededFuture(status);
        }
        Promise<Void> pause = Promise.promise();
        vertx.setTimer(RETRY_MS, t -> pause.complete());
        return pause.future().compose(v -> status(id, deadline));
      });
  }
}
