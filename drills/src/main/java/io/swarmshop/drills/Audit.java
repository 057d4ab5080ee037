package io.swarmshop.drills;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;

/**
 * Reads back everything the gateway acknowledged (invoices, customers, products), through the first
 * entry that answers. A 404 is a loss. Anything else (a 503 while the system settles) is asked again
 * until the audit's deadline; what is still unanswered then is reported as unverified, which fails
 * the drill as a loss would: it was not proven to be there.
 */
final class Audit {
  private static final int PARALLEL = 8;
  private static final long DEADLINE_MS = 60_000;
  private static final long RETRY_MS = 500;

  private final Vertx vertx;
  private final DrillOptions options;
  private final Entries entries;
  private final WebClient client;

  /** What was found of one collection's acknowledged ids. */
  record Result(int checked, int found, List<String> lost, List<String> unverified) {
  }

  Audit(Vertx vertx, DrillOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.entries = new Entries(options.entries());
    this.client = WebClient.create(vertx);
  }

  /** By collection path ({@code /api/invoices}), in the order given. */
  Future<Map<String, Result>> check(Map<String, List<String>> idsByPath) {
    Map<String, Result> results = new TreeMap<>();
    Future<Void> all = Future.succeededFuture();
    for (Map.Entry<String, List<String>> collection : idsByPath.entrySet()) {
      all = all.compose(v -> check(collection.getKey(), collection.getValue()).map(result -> {
        results.put(collection.getKey(), result);
        return null;
      }));
    }
    return all.transform(done -> {
      client.close();
      return Future.succeededFuture(results);
    });
  }

  private Future<Result> check(String path, List<String> ids) {
    Queue<String> queue = new ArrayDeque<>(ids);
    List<String> lost = new ArrayList<>();
    List<String> unverified = new ArrayList<>();
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      workers.add(drain(path, queue, lost, unverified, deadline));
    }
    return Future.join(workers).transform(done -> Future.succeededFuture(
      new Result(ids.size(), ids.size() - lost.size() - unverified.size(), lost, unverified)));
  }

  private Future<Void> drain(String path, Queue<String> queue, List<String> lost, List<String> unverified, long deadline) {
    String id = queue.poll();
    if (id == null) {
      return Future.succeededFuture();
    }
    return status(path + "/" + id, deadline).compose(status -> {
      if (status == 404) {
        lost.add(id);
      } else if (status != 200) {
        unverified.add(id);
      }
      return drain(path, queue, lost, unverified, deadline);
    });
  }

  /** 200 or 404 once the system says so; the last other status (or -1) when the deadline passes first. */
  private Future<Integer> status(String path, long deadline) {
    int entry = entries.pick(System.nanoTime(), -1);
    return client.getAbs(entries.url(entry) + path).timeout(options.timeoutMs()).send()
      .map(response -> response.statusCode())
      .otherwise(failure -> {
        entries.refused(entry, System.nanoTime());
        return -1;
      })
      .compose(status -> {
        if (status == 200 || status == 404 || System.currentTimeMillis() > deadline) {
          return Future.succeededFuture(status);
        }
        Promise<Void> pause = Promise.promise();
        vertx.setTimer(RETRY_MS, t -> pause.complete());
        return pause.future().compose(v -> status(path, deadline));
      });
  }
}
