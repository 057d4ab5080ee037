package io.swarmshop.gateway;

import io.swarmshop.common.discovery.Discovery;
import io.swarmshop.common.discovery.Instance;
import io.swarmshop.common.http.Problem;
import io.swarmshop.common.http.RequestIds;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Forwards one request to an instance of its upstream and streams the answer back. The instance is
 * the next healthy one in round-robin order; a request that never reached its instance is sent to
 * another one, and so is an idempotent request that failed or timed out there.
 */
final class Forwarder {
  private static final int MAX_ATTEMPTS = 3;
  /** Answers up to this size are relayed whole; larger ones, and those of unknown size, are streamed. */
  private static final long BUFFERED_ANSWER_LIMIT = 8 * 1024;
  // Header names as optimized constants: their case-insensitive hash is computed once, not per request.
  private static final List<CharSequence> HOP_BY_HOP = Stream.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length")
    .map(HttpHeaders::createOptimized)
    .toList();
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");

  /** The request never left the gateway: no connection, or the instance's circuit refused it. */
  private static final class NotReached extends RuntimeException {
    NotReached(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final Discovery discovery;
  private final InstanceCircuits circuits;
  private final HttpClient client;
  private final RecentRequests recent;
  private final long connectTimeoutMs;

  Forwarder(Discovery discovery, InstanceCircuits circuits, HttpClient client, RecentRequests recent, long connectTimeoutMs) {
    this.discovery = discovery;
    this.circuits = circuits;
    this.client = client;
    this.recent = recent;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  void forward(RoutingContext ctx, Upstream upstream) {
    HttpServerRequest request = ctx.request();
    Buffer body = ctx.body().buffer();
    RequestOptions options = new RequestOptions()
      .setMethod(request.method())
      .setURI(upstream.upstreamUri(request.uri()))
      .setConnectTimeout(connectTimeoutMs)
      .setIdleTimeout(upstream.timeoutMs());
    long started = System.nanoTime();
    attempt(ctx, upstream, options, body, retriesOnFailure(request), new HashSet<>(), null)
      .onSuccess(answer -> relay(ctx, upstream, answer, started))
      .onFailure(failure -> ctx.fail(problemFor(upstream, failure)));
  }

  /** An instance's answer, its announced length, and its whole body when it is small enough to be relayed in one write. */
  private record Answer(Instance instance, HttpClientResponse response, String length, Buffer body) {}

  private Future<Answer> attempt(RoutingContext ctx, Upstream upstream, RequestOptions options, Buffer body,
                                 boolean retryFailures, Set<Instance> tried, Throwable lastFailure) {
    Instance instance = tried.size() < MAX_ATTEMPTS
      ? discovery.next(upstream.service(), candidate -> !tried.contains(candidate) && circuits.healthy(candidate))
      : null;
    if (instance == null) {
      return Future.failedFuture(lastFailure != null ? lastFailure : new NotReached(new IllegalStateException("no healthy instance")));
    }
    tried.add(instance);
    return circuits.of(instance).<Answer>execute(() -> send(ctx, instance, options, body))
      .recover(failure -> {
        Throwable cause = failure instanceof OpenCircuitException ? new NotReached(failure) : failure;
        boolean retry = cause instanceof NotReached || retryFailures;
        return retry ? attempt(ctx, upstream, options, body, retryFailures, tried, cause) : Future.failedFuture(cause);
      });
  }

  private Future<Answer> send(RoutingContext ctx, Instance instance, RequestOptions options, Buffer body) {
    return client.request(new RequestOptions(options).setHost(instance.host()).setPort(instance.port()))
      .recover(failure -> Future.failedFuture(new NotReached(failure)))
      .map(request -> {
        copyForwardedHeaders(ctx, request.headers());
        return request;
      })
      .compose(request -> body != null && (body.length() > 0 || hasBody(options.getMethod())) ? request.send(body) : request.send())
      .compose(response -> receive(instance, response));
  }

  /**
   * A small answer is read whole here, inside the instance's breaker: it then leaves in one write, and
   * an instance that breaks off in the middle of one counts as failing. A larger one is streamed: the
   * breaker hands it on in a later event-loop task, so its body is held until it is relayed.
   */
  private static Future<Answer> receive(Instance instance, HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && isSmall(length)) {
      return response.body().map(buffer -> new Answer(instance, response, length, buffer));
    }
    return Future.succeededFuture(new Answer(instance, response.pause(), length, null));
  }

  private void relay(RoutingContext ctx, Upstream upstream, Answer answer, long started) {
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
    String length = answer.length();
    HOP_BY_HOP.forEach(headers::remove);
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
    relayed.onComplete(done -> recent.add(ctx.request().method().name(), ctx.request().path(), upstream.service(),
      answer.instance(), response.statusCode(), servedBy, (System.nanoTime() - started) / 1_000_000));
  }

  private static boolean isSmall(String contentLength) {
    try {
      return Long.parseLong(contentLength) <= BUFFERED_ANSWER_LIMIT;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Written straight into the outgoing request's headers: one copy of the caller's headers per attempt. */
  private static void copyForwardedHeaders(RoutingContext ctx, MultiMap headers) {
    HttpServerRequest request = ctx.request();
    headers.addAll(request.headers());
    HOP_BY_HOP.forEach(headers::remove);
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

  /** GET, HEAD, OPTIONS, PUT and DELETE may be sent twice; a POST only when it carries an Idempotency-Key. */
  private static boolean retriesOnFailure(HttpServerRequest request) {
    HttpMethod method = request.method();
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
      || method == HttpMethod.PUT || method == HttpMethod.DELETE
      || method == HttpMethod.POST && request.getHeader("Idempotency-Key") != null;
  }

  private static boolean hasBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
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
