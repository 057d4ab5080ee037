package io.swarmshop.calls;

/**
 * When an instance is ejected (its circuit opens) and when it is probed again. A call answered after
 * {@code slowCallMs} (0: never) counts as a failure too, when another healthy instance of the service
 * answered, within that time, a call sent after it: a replica slow next to a fast one is taken out, but
 * none is when all are slow together, as that says more of the caller's cores or of what they all
 * depend on than of any one of them.
 */
public record CircuitSettings(int maxFailures, int resetMs, int slowCallMs) {
  /** Failures are counted over this window: older ones are forgotten. */
  static final long FAILURES_WINDOW_MS = 10_000;
}
