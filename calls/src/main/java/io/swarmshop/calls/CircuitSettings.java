package io.swarmshop.calls;

/** When an instance is ejected (its circuit opens) and when it is probed again. */
public record CircuitSettings(int maxFailures, int resetMs) {
  /** Failures are counted over this window: older ones are forgotten. */
  static final long FAILURES_WINDOW_MS = 10_000;
}
