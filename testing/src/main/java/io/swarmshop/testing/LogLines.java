package io.swarmshop.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The messages one logger writes while this is open: for tests of what a process says, and how often. */
public final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  /** Fills in a record's parameters ({0}, {1}...), as the services' own formats do. */
  private final Formatter messages = new SimpleFormatter();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(messages.formatMessage(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private LogLines(String name) {
    logger = Logger.getLogger(name);
    logger.addHandler(capture);
  }

  public static LogLines of(String loggerName) {
    return new LogLines(loggerName);
  }

  public List<String> lines() {
    return lines;
  }

  @Override
  public void close() {
    logger.removeHandler(capture);
  }
}
