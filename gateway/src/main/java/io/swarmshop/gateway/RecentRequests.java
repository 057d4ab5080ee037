package io.swarmshop.gateway;

import io.swarmshop.discovery.Instance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** The last API requests the gateway forwarded, and which replica answered each: for the webapp's cluster view. */
final class RecentRequests {
  private static final int KEPT = 30;

  private record Entry(long atMillis, String method, String path, String service, Instance instance, int status, String servedBy, long millis) {}

  private final Deque<Entry> entries = new ArrayDeque<>(KEPT);

  synchronized void add(String method, String path, String service, Instance instance, int status, String servedBy, long millis) {
    if (entries.size() == KEPT) {
      entries.removeLast();
    }
    // The time and the instance's address are formatted only when asked for: this runs on every forwarded request.
    entries.addFirst(new Entry(System.currentTimeMillis(), method, path, service, instance, status, servedBy, millis));
  }

  synchronized JsonArray toJson() {
    JsonArray list = new JsonArray();
    entries.forEach(entry -> list.add(new JsonObject()
      .put("at", Instant.ofEpochMilli(entry.atMillis()).toString())
      .put("method", entry.method())
      .put("path", entry.path())
      .put("service", entry.service())
      .put("instance", entry.instance().url())
      .put("status", entry.status())
      .put("servedBy", entry.servedBy())
      .put("ms", entry.millis())));
    return list;
  }
}
