package io.swarmshop.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for entity and request ids. They only need to be unique, not secret, so
 * they come from the thread's own generator rather than {@code UUID.randomUUID()}'s shared
 * SecureRandom, which every event loop would queue on.
 */
public final class Ids {
  private Ids() {
  }

  public static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L;
    long low = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
