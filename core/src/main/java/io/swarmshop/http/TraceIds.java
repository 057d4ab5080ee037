package io.swarmshop.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.http.HttpHeaders;

/** The trace a request belongs to, as OpenTelemetry keeps it on the request's Vert.x context. */
public final class TraceIds {
  public static final String HEADER = "X-Trace-Id";
  public static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);

  private TraceIds() {
  }

  /** The 32-hex trace id of the request handled on the calling thread, or null outside of one. */
  public static String current() {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : null;
  }
}
