package io.swarmshop.service;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One line per log record on standard output, at the given level. */
public final class Logging {
  private Logging() {
  }

  public static void configure(Level level) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s %5$s%6$s%n");
    }
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    for (var handler : root.getHandlers()) {
      handler.setLevel(level);
    }
  }
}
