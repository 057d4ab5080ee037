package io.swarmshop.gateway;

import io.swarmshop.calls.Answer;
import io.swarmshop.calls.CallPolicy;
import io.swarmshop.calls.InstanceCalls;
import io.swarmshop.calls.NotReached;
import io.swarmshop.http.Problem;
import io.swarmshop.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Forwards one request to an instance of its upstream's track (stable or canary), through the shared
 * call path, and streams the answer back. A request that never reached its instance is sent to
 * another one; so is an idempotent request that failed, timed out or erred there. One the canary
 * could not take, or failed and may be sent again, goes to stable.
 */
final class Forwarder {
  /**
   * Three instances at most; no answer and a 5xx but a 503 count as the instance's failure (a 503 says
   * it is up but what it needs is not: every instance would say the same); the last answer is relayed
   * as it is. GET, HEAD, OPTIONS, PUT and DELETE may be sent twice, a POST only with an
   * Idempotency-Key; answers up to 8 KiB are relayed whole, larger ones and those of unknown size are streamed.
   */
  static final CallPolicy POLICY = new CallPolicy(3, status -> status >= 500 && status != 503,
    Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE), true,
    failure -> false, 8 * 1024);
  // Header names as optimized constants: their case-insensitive hash is computed once, not per request.
  private static final List<CharSequence> HOP_BY_HOP = Stream.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length")
    .map(HttpHeaders::createOptimized)
    .toList();
  /** The caller's trace context: the gateway's own client span takes its place on the next hop. */
  private static final List<CharSequence> TRACE_CONTEXT = Stream.of("traceparent", "tracestate")
    .map(HttpHeaders::createOptimized)
    .toList();
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");

  /** A failure on the canary, told apart from one on stable after the canary could not be reached. */
  private static final class CanaryFailure extends RuntimeException {
    CanaryFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final InstanceCalls calls;
  private final RecentRequests recent;
  private final InstanceNames names;
  private final long connectTimeoutMs;

  Forwarder(InstanceCalls calls, RecentRequests recent, InstanceNames names, long connectTimeoutMs) {
    this.calls = calls;
    this.recent = recent;
    this.names = names;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  void forward(RoutingContext ctx, Tracks tracks) {
    Upstream upstream = tracks.upstream();
    HttpServerRequest request = ctx.request();
    boolean canary = tracks.toCanary(request);
    RequestOptions options = new RequestOptions()
      .setMethod(request.method())
      .setURI(upstream.upstreamUri(request.uri()))
      .setConnectTimeout(connectTimeoutMs)
      .setIdleTimeout(upstream.timeoutMs());
    long started = System.nanoTime();
    Future<Answer> answer = canary ? onCanary(ctx, tracks, options, started) : call(ctx, upstream.service(), options);
    answer
      .onSuccess(answered -> relay(ctx, tracks, answered, started))
      .onFailure(failure -> {
        boolean onCanary = failure instanceof CanaryFailure;
        tracks.record(onCanary, true, System.nanoTime() - started);
        ctx.fail(problemFor(upstream, onCanary ? failure.getCause() : failure));
      });
  }

  /**
   * The canary's answer; stable's when no canary instance could take the request, or when the canary
   * failed one that may be sent again (counted then as the canary's failure).
   */
  private Future<Answer> onCanary(RoutingContext ctx, Tracks tracks, RequestOptions options, long started) {
    String stable = tracks.upstream().service();
    return call(ctx, tracks.upstream().canary(), options).transform(result -> {
      if (result.succeeded() && !POLICY.failingStatus().test(result.result().status())) {
        return Future.succeededFuture(result.result());
      }
      if (result.failed() && result.cause() instanceof NotReached) {
        return call(ctx, stable, options);
      }
      if (POLICY.repeatable(options.getMethod(), ctx.request().headers())) {
        tracks.record(true, true, System.nanoTime() - started);
        return call(ctx, stable, options);
      }
      return result.succeeded() ? Future.succeededFuture(result.result()) : Future.failedFuture(new CanaryFailure(result.cause()));
    });
  }

  private Future<Answer> call(RoutingContext ctx, String service, RequestOptions options) {
    return calls.call(service, POLICY, options, ctx.body().buffer(), ctx.request().headers(), headers -> copyForwardedHeaders(ctx, headers));
  }

  private void relay(RoutingContext ctx, Tracks tracks, Answer answer, long started) {
    HttpClientResponse response = answer.response();
    HttpServerResponse out = ctx.response();
    if (out.closed()) {
      // The client left while the instance was answering: drop the answer, keep the connection.
      if (answer.body() == null) {
        response.resume();
      }
      return;
    }
    out.setStatusCode(response.statusCode());
    MultiMap headers = out.headers();
    // Copied whole and then trimmed: Vert.x headers are case-insensitive, so no name is lowercased per request.
    // The copy replaces the headers set so far: an answer without a request id gets the gateway's back.
    headers.setAll(response.headers());
    // Read from the copy: the client's own view of the answer compares names character by character.
    String servedBy = headers.get(RequestIds.SERVED_BY_NAME);
    names.answered(answer.instance(), servedBy);
    String length = answer.length();
    HOP_BY_HOP.forEach(headers::remove);
    Upstream upstream = tracks.upstream();
    boolean onCanary = !answer.instance().service().equals(upstream.service());
    if (onCanary) {
      headers.set(Tracks.ANSWER_HEADER, Tracks.CANARY);
    }
    if (!headers.contains(RequestIds.HEADER_NAME)) {
      headers.set(RequestIds.HEADER_NAME, RequestIds.of(ctx));
    }
    if (length != null) {
      out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      out.setChunked(true);
    }
    Future<Void> relayed;
    if (answer.body() != null) {
      // Head and body leave in one write, where streaming would write (and wake the client) per chunk.
      relayed = out.end(answer.body());
    } else {
      Pipe<Buffer> pipe = response.pipe();
      // A client that goes away mid-answer: stop writing to it (the rest of the answer is drained).
      out.closeHandler(closed -> pipe.close());
      relayed = pipe.to(out);
    }
    relayed.onComplete(done -> {
      long nanos = System.nanoTime() - started;
      tracks.record(onCanary, response.statusCode() >= 500 || done.failed(), nanos);
      recent.add(ctx.request().method().name(), ctx.request().path(), answer.instance().service(), answer.instance(),
        response.statusCode(), servedBy, nanos / 1_000_000);
    });
  }

  /** Written straight into the outgoing request's headers: one copy of the caller's headers per attempt. */
  private static void copyForwardedHeaders(RoutingContext ctx, MultiMap headers) {
    HttpServerRequest request = ctx.request();
    headers.addAll(request.headers());
    HOP_BY_HOP.forEach(headers::remove);
    TRACE_CONTEXT.forEach(headers::remove);
    // Read from the connection and the Host header as received, not through the router's request,
    // which parses Forwarded headers to answer these on every call.
    SocketAddress remote = request.connection().remoteAddress();
    String client = remote == null ? "unknown" : remote.hostAddress();
    String forwardedFor = request.getHeader(X_FORWARDED_FOR);
    headers.set(X_FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
    headers.set(X_FORWARDED_PROTO, request.connection().isSsl() ? "https" : "http");
    String host = request.getHeader(HttpHeaders.HOST);
    if (host != null) {
      headers.set(X_FORWARDED_HOST, host);
    }
    headers.set(RequestIds.HEADER_NAME, RequestIds.of(ctx));
  }

  private static Problem problemFor(Upstream upstream, Throwable failure) {
    if (failure instanceof NotReached) {
      return Problem.unavailable("No instance of the " + upstream.service() + " service can be reached; try again shortly.", 1);
    }
    if (failure instanceof TimeoutException) {
      return Problem.of(504, "Gateway timeout", "The " + upstream.service() + " service did not answer in time.");
    }
    return Problem.of(502, "Bad gateway", "The " + upstream.service() + " service failed to answer.");
  }
}
