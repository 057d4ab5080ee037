package io.swarmshop.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for something that happens by itself (a circuit closing, a log line), with a deadline, instead of a fixed sleep. */
public final class Eventually {
  private static final long POLL_MS = 50;

  private Eventually() {
  }

  /** Returns once {@code condition} holds; fails naming {@code what} when it still does not after {@code within}. */
  public static void eventually(Duration within, String what, BooleanSupplier condition) {
    eventually(within, what, condition::getAsBoolean, Boolean::booleanValue);
  }

  /**
   * Asks {@code attempt} until its answer satisfies {@code done}, and returns that answer; fails naming
   * {@code what} and the last answer when none did within {@code within}.
   */
  public static <T> T eventually(Duration within, String what, Supplier<T> attempt, Predicate<T> done) {
    long deadline = System.nanoTime() + within.toNanos();
    T last;
    do {
      last = attempt.get();
      if (done.test(last)) {
        return last;
      }
      pause();
    } while (System.nanoTime() < deadline);
    throw new AssertionError(what + ": still not so after " + within.toMillis() + " ms; last answer: " + last);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
