package io.swarmshop.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Gives every request an X-Request-Id (the caller's when it is well formed), echoes it with X-Served-By
 * and the request's X-Trace-Id, and writes one access log line per request carrying the id.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String SERVED_BY = "X-Served-By";
  private static final String KEY = "requestId";
  // The same names optimized: their case-insensitive hash is computed once, not on every request.
  public static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  public static final CharSequence SERVED_BY_NAME = HttpHeaders.createOptimized(SERVED_BY);
  public static final String ACCESS_LOGGER = "access";
  private static final Logger ACCESS = Logger.getLogger(ACCESS_LOGGER);

  private RequestIds() {
  }

  /** {@code <service>@<hostname> on <node>}, or without the node where it is not known ("-"). */
  public static String servedBy(String service, String hostname, String node) {
    return service + "@" + hostname + ("-".equals(node) ? "" : " on " + node);
  }

  /** The node in an X-Served-By value, or null when it names none. */
  public static String nodeOf(String servedBy) {
    int on = servedBy == null ? -1 : servedBy.lastIndexOf(" on ");
    return on < 0 ? null : servedBy.substring(on + 4);
  }

  public static String accept(String candidate) {
    return Tokens.isKey(candidate) ? candidate : Ids.random();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "-";
  }

  /**
   * The access line of one request, its parameters in this order: method, path and query, status,
   * milliseconds (one decimal), request id, trace id ("-" outside a trace).
   */
  static LogRecord accessLine(String method, String uri, int status, double milliseconds, String requestId, String traceId) {
    LogRecord line = new LogRecord(Level.INFO, "{0} {1} {2} {3}ms rid={4} trace={5}");
    line.setLoggerName(ACCESS_LOGGER);
    line.setParameters(new Object[] {method, uri, String.valueOf(status), String.format(Locale.ROOT, "%.1f", milliseconds),
      requestId, traceId == null ? "-" : traceId});
    return line;
  }

  public static io.vertx.core.Handler<RoutingContext> handler(String servedBy) {
    return ctx -> {
      String id = accept(ctx.request().getHeader(HEADER_NAME));
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER_NAME, id).putHeader(SERVED_BY_NAME, servedBy);
      String traceId = TraceIds.current();
      if (traceId != null) {
        ctx.response().putHeader(TraceIds.HEADER_NAME, traceId);
      }
      // With the access log off (LOG_LEVEL=WARNING) a request registers no end handler and reads no clock.
      if (ACCESS.isLoggable(Level.INFO)) {
        long started = System.nanoTime();
        ctx.addEndHandler(done -> ACCESS.log(accessLine(ctx.request().method().name(), ctx.request().uri(),
          ctx.response().getStatusCode(), (System.nanoTime() - started) / 1e6, id, traceId)));
      }
      ctx.next();
    };
  }
}
