package io.swarmshop.http;

/** The headers of an idempotent creation: a retry with the same key gets the first answer again. */
public final class Idempotency {
  /** Set by the client; shaped as {@link Tokens#isKey} says. */
  public static final String KEY_HEADER = "Idempotency-Key";
  /** Set on an answer that repeats the one a first request with the same key got. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private Idempotency() {
  }
}
