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

/**
 * What the load saw: outcomes by service and by entry, latencies, who answered, what was acknowledged
 * (created with a 201), and for each service how long its writes failed after the drill's fault.
 */
final class Tally {
  /** When the drill acts: the load began its warm-up before, so times before this are negative. */
  private final long actNanos;
  private final long startNanos;
  private long endNanos;
  private long faultNanos = -1;
  private long[] latenciesMicros = new long[4096];
  private int requests;
  private int ok;
  private int resent;
  private int failedInWarmUp;
  private final Map<String, Integer> failures = new TreeMap<>();
  private final Map<String, Outcomes> byService = new TreeMap<>();
  private final Map<String, Outcomes> byEntry = new TreeMap<>();
  private final Map<String, Map<String, Outcomes>> byEntryAndService = new TreeMap<>();
  private final Map<String, Set<String>> servedBy = new TreeMap<>();
  private final Map<String, List<String>> acknowledged = new TreeMap<>();
  private final Map<String, WriteOutage> outages = new TreeMap<>();
  private final Map<Long, Map<String, Integer>> failuresBySecond = new TreeMap<>();
  private long firstFailureNanos = -1;
  private long lastFailureNanos = -1;

  /** Requests answered 2xx and failed, with the failures by status or error. */
  static final class Outcomes {
    int ok;
    final Map<String, Integer> failures = new TreeMap<>();

    int failed() {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** A service's writes after the fault: when the first failed, and when the first after that was acknowledged. */
  static final class WriteOutage {
    long firstFailedNanos = -1;
    long recoveredNanos = -1;
  }

  Tally(long startNanos, long actNanos) {
    this.startNanos = startNanos;
    this.actNanos = actNanos;
  }

  void end(long nanos) {
    endNanos = nanos;
  }

  /** The drill has acted (a node killed, a primary killed, a node cut off). */
  void fault(long nanos) {
    faultNanos = nanos;
  }

  boolean faultSeen() {
    return faultNanos >= 0;
  }

  void resent() {
    resent++;
  }

  void answered(Kind kind, String entry, long started, long ended, int status, String server, String createdId, String detail) {
    record(started, ended);
    if (server != null) {
      int at = server.indexOf('@');
      servedBy.computeIfAbsent(at > 0 ? server.substring(0, at) : server, s -> new TreeSet<>()).add(server);
    }
    if (createdId != null) {
      acknowledged.computeIfAbsent(kind.path(), path -> new ArrayList<>()).add(createdId);
    }
    if (status >= 200 && status < 300) {
      ok++;
      outcomes(kind, entry).forEach(outcomes -> outcomes.ok++);
      write(kind, ended, true);
    } else {
      failure(kind, entry, started, ended, String.valueOf(status), server == null ? detail : detail == null ? server : server + ": " + detail);
    }
  }

  void failed(Kind kind, String entry, long started, long ended, String label) {
    record(started, ended);
    failure(kind, entry, started, ended, label, null);
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

  private List<Outcomes> outcomes(Kind kind, String entry) {
    return List.of(byService.computeIfAbsent(kind.service, s -> new Outcomes()), byEntry.computeIfAbsent(entry, e -> new Outcomes()),
      byEntryAndService.computeIfAbsent(entry, e -> new TreeMap<>()).computeIfAbsent(kind.service, s -> new Outcomes()));
  }

  private void write(Kind kind, long ended, boolean acknowledgedWrite) {
    if (!kind.write || faultNanos < 0 || ended < faultNanos) {
      return;
    }
    WriteOutage outage = outages.computeIfAbsent(kind.service, s -> new WriteOutage());
    if (!acknowledgedWrite && outage.firstFailedNanos < 0) {
      outage.firstFailedNanos = ended;
    } else if (acknowledgedWrite && outage.firstFailedNanos >= 0 && outage.recoveredNanos < 0) {
      outage.recoveredNanos = ended;
    }
  }

  private void record(long started, long ended) {
    if (requests == latenciesMicros.length) {
      latenciesMicros = Arrays.copyOf(latenciesMicros, requests * 2);
    }
    latenciesMicros[requests++] = (ended - started) / 1000;
  }

  /** A failure, by its status or error; the timeline also names the server that answered it and what it said, when one did. */
  private void failure(Kind kind, String entry, long started, long ended, String label, String source) {
    if (started < actNanos) {
      failedInWarmUp++;
    }
    failures.merge(label, 1, Integer::sum);
    failuresBySecond.computeIfAbsent(Math.floorDiv(ended - actNanos, 1_000_000_000L), second -> new TreeMap<>())
      .merge(kind.name() + " " + label + (source == null ? "" : " from " + source), 1, Integer::sum);
    outcomes(kind, entry).forEach(outcomes -> outcomes.failures.merge(label, 1, Integer::sum));
    write(kind, ended, false);
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

  /** Failed requests sent during the warm-up, before the drill acted: not counted against its budget. */
  int failedInWarmUp() {
    return failedInWarmUp;
  }

  /** Failed requests sent once the drill acted: what its budget counts. */
  int failedSinceAct() {
    return failed() - failedInWarmUp;
  }

  int resentCount() {
    return resent;
  }

  Map<String, Integer> failures() {
    return failures;
  }

  Map<String, Outcomes> byService() {
    return byService;
  }

  Map<String, Outcomes> byEntry() {
    return byEntry;
  }

  /** By entry, then by service: what a drill counts when it leaves out the entry of the node it took away. */
  Map<String, Map<String, Outcomes>> byEntryAndService() {
    return byEntryAndService;
  }

  /**
   * Failures by the second they ended in, counted from the drill's action (negative: the warm-up), then
   * by request kind, status or error, and the server that answered: when the load suffered, and from what.
   */
  Map<Long, Map<String, Integer>> failuresBySecond() {
    return failuresBySecond;
  }

  Map<String, Set<String>> servedBy() {
    return servedBy;
  }

  /** The ids acknowledged, by the collection they were created in. */
  Map<String, List<String>> acknowledged() {
    return acknowledged;
  }

  List<String> acknowledged(Kind kind) {
    return acknowledged.getOrDefault(kind.path(), List.of());
  }

  /**
   * Seconds from the fault to the first acknowledged write of the service after its first failed one:
   * 0 when none of its writes failed after the fault, -1 when none was acknowledged after the failure.
   */
  Map<String, Double> failoverWindows() {
    Map<String, Double> windows = new TreeMap<>();
    for (Kind kind : Kind.values()) {
      if (kind.write) {
        WriteOutage outage = outages.get(kind.service);
        windows.put(kind.service, outage == null || outage.firstFailedNanos < 0 ? 0.0
          : outage.recoveredNanos < 0 ? -1.0
          : (outage.recoveredNanos - faultNanos) / 1e9);
      }
    }
    return windows;
  }

  /** By service: when its first write failed after the fault, in seconds after it; absent when none failed. */
  Map<String, Double> firstFailedWrites() {
    Map<String, Double> first = new TreeMap<>();
    outages.forEach((service, outage) -> {
      if (outage.firstFailedNanos >= 0) {
        first.put(service, (outage.firstFailedNanos - faultNanos) / 1e9);
      }
    });
    return first;
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
