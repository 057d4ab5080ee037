package io.swarmshop.drills;

import java.util.List;

/**
 * The gateway's entries (one per node), used as a client behind round-robin DNS or a load balancer
 * would: one at a time, until it refuses connections, or fails every request for a while (5xx or no
 * answer); then it is set aside, twice as long each time in a row, and the next one is used. One that
 * says it is going away (a draining gateway closes each connection after its answer) is set aside
 * too, before it stops: a load balancer's health check does as much. When every entry is set aside,
 * the one free soonest is used. Used from one event loop only.
 */
final class Entries {
  static final long SET_ASIDE_NANOS = 5_000_000_000L;
  static final long MAX_SET_ASIDE_NANOS = 60_000_000_000L;
  /** Long enough for a draining gateway to stop and its replacement to start. */
  static final long DRAINING_ASIDE_NANOS = 20_000_000_000L;
  /**
   * Failures in a row (5xx, or no answer in time) that set an entry aside: an entry that cannot serve
   * at all (a gateway cut off) fails every kind of request, while a failover elsewhere fails only some
   * kinds, on every entry alike.
   */
  static final int FAILURES_IN_A_ROW = 10;
  /** Requests in a row that got no answer in time: a node that is gone, whose connections hang. */
  static final int UNANSWERED_IN_A_ROW = 3;

  private final List<String> urls;
  private final long[] asideUntil;
  private final long[] asideNanos;
  private final int[] failuresInARow;
  private final int[] unansweredInARow;
  private int current;

  Entries(List<String> urls) {
    this.urls = List.copyOf(urls);
    this.asideUntil = new long[urls.size()];
    this.asideNanos = new long[urls.size()];
    this.failuresInARow = new int[urls.size()];
    this.unansweredInARow = new int[urls.size()];
  }

  int size() {
    return urls.size();
  }

  String url(int entry) {
    return urls.get(entry);
  }

  /**
   * The entry to send to now; {@code after} (or -1) is one that just failed this request, which then
   * goes to the next one. The entry in use changes only when it is set aside.
   */
  int pick(long now, int after) {
    if (after < 0 && asideUntil[current] <= now) {
      return current;
    }
    int start = after >= 0 ? after : current;
    int best = -1;
    for (int step = 1; step <= urls.size(); step++) {
      int candidate = (start + step) % urls.size();
      if (candidate == after && urls.size() > 1) {
        continue;
      }
      if (asideUntil[candidate] <= now) {
        if (asideUntil[current] > now) {
          current = candidate;
        }
        return candidate;
      }
      if (best < 0 || asideUntil[candidate] < asideUntil[best]) {
        best = candidate;
      }
    }
    return best < 0 ? current : best;
  }

  void answered(int entry, int status, long now) {
    unansweredInARow[entry] = 0;
    if (status < 500) {
      failuresInARow[entry] = 0;
      asideNanos[entry] = 0;
    } else {
      failed(entry, now);
    }
  }

  /** A request that got no answer in time. */
  void unanswered(int entry, long now) {
    if (++unansweredInARow[entry] >= UNANSWERED_IN_A_ROW) {
      unansweredInARow[entry] = 0;
      failuresInARow[entry] = 0;
      setAside(entry, now);
    } else {
      failed(entry, now);
    }
  }

  /** A connection the entry refused (or could not make): it is down. */
  void refused(int entry, long now) {
    failuresInARow[entry] = 0;
    unansweredInARow[entry] = 0;
    setAside(entry, now);
  }

  /** An answer that closed its connection: the entry's gateway is draining. */
  void draining(int entry, long now) {
    asideUntil[entry] = Math.max(asideUntil[entry], now + DRAINING_ASIDE_NANOS);
  }

  private void failed(int entry, long now) {
    if (++failuresInARow[entry] >= FAILURES_IN_A_ROW) {
      failuresInARow[entry] = 0;
      setAside(entry, now);
    }
  }

  private void setAside(int entry, long now) {
    asideNanos[entry] = asideNanos[entry] == 0 ? SET_ASIDE_NANOS : Math.min(2 * asideNanos[entry], MAX_SET_ASIDE_NANOS);
    asideUntil[entry] = now + asideNanos[entry];
  }
}
