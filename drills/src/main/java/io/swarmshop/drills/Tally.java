package io.swarmshop.drills;

import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/** What the load saw: outcomes, latencies, who answered, and the invoices acknowledged with a 201. */
final class Tally {
  /** When the drill acts: the load began its warm-up before, so times before this are negative. */
  private final long actNanos;
  private final long startNanos;
  private long endNanos;
  private long[] latenciesMicros = new long[4096];
  private int requests;
  private int ok;
  private final Map<String, Integer> failures = new TreeMap<>();
  private final Map<String, Set<String>> servedBy = new TreeMap<>();
  private final List<String> acknowledged = new ArrayList<>();
  private long firstFailureNanos = -1;
  private long lastFailureNanos = -1;

  Tally(long startNanos, long actNanos) {
    this.startNanos = startNanos;
    this.actNanos = actNanos;
  }

  void end(long nanos) {
    endNanos = nanos;
  }

  void answered(long started, long ended, int status, String server, String createdInvoiceId) {
    record(started, ended);
    if (server != null) {
      int at = server.indexOf('@');
      servedBy.computeIfAbsent(at > 0 ? server.substring(0, at) : server, s -> new TreeSet<>()).add(server);
    }
    if (createdInvoiceId != null) {
      acknowledged.add(createdInvoiceId);
    }
    if (status >= 200 && status < 300) {
      ok++;
    } else {
      failure(started, ended, String.valueOf(status));
    }
  }

  void failed(long started, long ended, String label) {
    record(started, ended);
    failure(started, ended, label);
  }

  static String label(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return "timeout";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof HttpClosedException) {
      return "connection closed";
    }
    return cause.getClass().getSimpleName();
  }

  private void record(long started, long ended) {
    if (requests == latenciesMicros.length) {
      latenciesMicros = Arrays.copyOf(latenciesMicros, requests * 2);
    }
    latenciesMicros[requests++] = (ended - started) / 1000;
  }

  private void failure(long started, long ended, String label) {
    failures.merge(label, 1, Integer::sum);
    if (firstFailureNanos < 0) {
      firstFailureNanos = started;
    }
    lastFailureNanos = Math.max(lastFailureNanos, ended);
  }

  int requests() {
    return requests;
  }

  int ok() {
    return ok;
  }

  int failed() {
    return requests - ok;
  }

  Map<String, Integer> failures() {
    return failures;
  }

  Map<String, Set<String>> servedBy() {
    return servedBy;
  }

  List<String> acknowledged() {
    return acknowledged;
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  /** Milliseconds at quantile q (0..1] of all requests, answered or not. */
  double percentileMs(double q) {
    if (requests == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(latenciesMicros, requests);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(q * requests) - 1;
    return sorted[Math.max(0, Math.min(requests - 1, index))] / 1000.0;
  }

  /** From the start of the first failed request to the end of the last: how long the load was disturbed. */
  double disturbedSeconds() {
    return firstFailureNanos < 0 ? 0 : (lastFailureNanos - firstFailureNanos) / 1e9;
  }

  /** Seconds from the drill's action to the first failure (negative: during the warm-up). */
  double firstFailureSeconds() {
    return firstFailureNanos < 0 ? 0 : (firstFailureNanos - actNanos) / 1e9;
  }
}
