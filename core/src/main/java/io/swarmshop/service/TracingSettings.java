package io.swarmshop.service;

import java.net.URI;

/**
 * Where traces go and how many: {@code ZIPKIN_URL} (the base URL of a Zipkin, such as
 * http://zipkin:9411; unset, nothing is exported, though trace ids are still made and propagated) and
 * {@code TRACE_SAMPLING} (the share of new traces recorded, 0 to 1; a request that arrives with a
 * sampled {@code traceparent} is recorded whatever it is).
 */
public record TracingSettings(URI zipkinUrl, double sampling) {
  public static final double DEFAULT_SAMPLING = 0.01;

  public static TracingSettings from(Environment env) {
    return new TracingSettings(env.httpUrl("ZIPKIN_URL"), env.ratio("TRACE_SAMPLING", DEFAULT_SAMPLING));
  }

  /** Zipkin's span intake, {@code /api/v2/spans} under its base URL. */
  public URI spansEndpoint() {
    return URI.create(zipkinUrl + "/api/v2/spans");
  }
}
