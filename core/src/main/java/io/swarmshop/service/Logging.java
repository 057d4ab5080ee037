package io.swarmshop.service;

import io.swarmshop.http.RequestIds;
import io.swarmshop.http.TraceIds;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * One line per log record on standard output, at the given level: text for a terminal, or one JSON
 * object per line for a log collector ({@code LOG_FORMAT}). Every line says which service, instance
 * and node wrote it and, within a request, its trace id; the access lines also carry the request's
 * id, method, path, status and duration.
 */
public final class Logging {
  public static final List<String> FORMATS = List.of("text", "json");
  private static final String ACCESS = RequestIds.ACCESS_LOGGER;
  /** Milliseconds always written, so that the times of lines sort as text. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Logging() {
  }

  /** Text lines, as a tool (the drills) writes them. */
  public static void configure(Level level) {
    configure(level, new TextLines());
  }

  public static void configure(Level level, String format, String service, String instance, String node) {
    configure(level, "json".equals(format) ? new JsonLines(service, instance, node) : new TextLines());
  }

  private static void configure(Level level, Formatter formatter) {
    Logger root = Logger.getLogger("");
    for (var handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    StreamHandler out = new StreamHandler(System.out, formatter) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }
    };
    out.setLevel(level);
    root.addHandler(out);
    root.setLevel(level);
  }

  private static String thrown(LogRecord record) {
    StringWriter trace = new StringWriter();
    record.getThrown().printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }

  /** {@code 2026-12-01T18:00:00.123Z INFO logger message}, with the trace id within a request. */
  private static final class TextLines extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder().append(TIME.format(record.getInstant())).append(' ').append(record.getLevel().getName())
        .append(' ').append(record.getLoggerName()).append(' ').append(formatMessage(record));
      String traceId = ACCESS.equals(record.getLoggerName()) ? null : TraceIds.current();
      if (traceId != null) {
        line.append(" trace=").append(traceId);
      }
      if (record.getThrown() != null) {
        line.append(System.lineSeparator()).append(thrown(record));
      }
      return line.append(System.lineSeparator()).toString();
    }
  }

  /** One JSON object per line. */
  private static final class JsonLines extends Formatter {
    private final String service;
    private final String instance;
    private final String node;

    JsonLines(String service, String instance, String node) {
      this.service = service;
      this.instance = instance;
      this.node = node;
    }

    @Override
    public String format(LogRecord record) {
      JsonObject line = new JsonObject()
        .put("time", TIME.format(record.getInstant()))
        .put("level", record.getLevel().getName())
        .put("service", service)
        .put("instance", instance)
        .put("node", node)
        .put("logger", record.getLoggerName());
      Object[] parameters = record.getParameters();
      // The access line's parameters, as RequestIds writes them.
      if (ACCESS.equals(record.getLoggerName()) && parameters != null && parameters.length == 6) {
        line.put("requestId", parameters[4]);
        if (!"-".equals(parameters[5])) {
          line.put("traceId", parameters[5]);
        }
        line.put("method", parameters[0]).put("path", parameters[1]).put("status", Integer.parseInt((String) parameters[2]))
          .put("durationMs", Double.parseDouble((String) parameters[3]));
      } else {
        String traceId = TraceIds.current();
        if (traceId != null) {
          line.put("traceId", traceId);
        }
      }
      line.put("message", formatMessage(record));
      if (record.getThrown() != null) {
        line.put("error", thrown(record));
      }
      return line.encode() + System.lineSeparator();
    }
  }
}
