package io.swarmshop.common;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One line per log record on standard output, at the level {@code LOG_LEVEL} names. */
public final class Logging {
  private Logging() {
  }

  public static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s %5$s%6$s%n");
    }
    String level = System.getenv().getOrDefault("LOG_LEVEL", "INFO");
    Logger root = Logger.getLogger("");
    root.setLevel(Level.parse(level));
    for (var handler : root.getHandlers()) {
      handler.setLevel(Level.parse(level));
    }
  }
}
