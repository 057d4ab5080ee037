package io.swarmshop.drills;

import java.util.List;

/**
 * The gateway's entries (one per node), used as a client behind round-robin DNS or a load balancer
 * would: one at a time, until it stops answering or keeps answering 5xx; then it is set aside for a
 * while and the next one is used. When every entry is set aside, the one free soonest is used.
 * Used from one event loop only.
 */
final class Entries {
  static final long SET_ASIDE_NANOS = 5_000_000_000L;
  /** 5xx answers in a row from one entry that set it aside, as a load balancer's health check would. */
  static final int SERVER_ERRORS_IN_A_ROW = 3;

  private final List<String> urls;
  private final long[] asideUntil;
  private final int[] serverErrorsInARow;
  private int current;

  Entries(List<String> urls) {
    this.urls = List.copyOf(urls);
    this.asideUntil = new long[urls.size()];
    this.serverErrorsInARow = new int[urls.size()];
  }

  int size() {
    return urls.size();
  }

  String url(int entry) {
    return urls.get(entry);
  }

  /** The entry to send to now; {@code after} (or -1) is one that just failed this request. */
  int pick(long now, int after) {
    if (after < 0 && asideUntil[current] <= now) {
      return current;
    }
    int best = -1;
    for (int step = 1; step <= urls.size(); step++) {
      int candidate = (Math.max(after, current) + step) % urls.size();
      if (candidate == after && urls.size() > 1) {
        continue;
      }
      if (asideUntil[candidate] <= now) {
        current = candidate;
        return candidate;
      }
      if (best < 0 || asideUntil[candidate] < asideUntil[best]) {
        best = candidate;
      }
    }
    return best < 0 ? current : best;
  }

  void answered(int entry, int status) {
    if (status < 500) {
      serverErrorsInARow[entry] = 0;
    } else if (++serverErrorsInARow[entry] >= SERVER_ERRORS_IN_A_ROW) {
      serverErrorsInARow[entry] = 0;
      asideUntil[entry] = System.nanoTime() + SET_ASIDE_NANOS;
    }
  }

  void unanswered(int entry, long now) {
    asideUntil[entry] = now + SET_ASIDE_NANOS;
  }
}
