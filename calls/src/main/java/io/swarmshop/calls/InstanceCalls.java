package io.swarmshop.calls;

import io.swarmshop.discovery.Instance;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one path by which a process calls another service: the next instance in round-robin order
 * among those whose circuit is closed, called through that circuit, and another instance after a
 * failure as the caller's {@link CallPolicy} allows. A request that never left is always sent to
 * another instance; with no instance left the call fails with {@link NotReached}.
 *
 * <p>One per event loop, each with an HTTP client of its own, so that a call stays on the loop that
 * made it; the circuits are the process's.
 */
public final class InstanceCalls {
  private final InstanceCircuits circuits;
  private final HttpClient client;

  /** The answer had a status the policy counts as the instance's failure; the answer goes with it. */
  private static final class FailingAnswer extends RuntimeException {
    final Answer answer;

    FailingAnswer(Answer answer) {
      super("answered " + answer.status(), null, false, false);
      this.answer = answer;
    }
  }

  public InstanceCalls(Vertx vertx, InstanceCircuits circuits, int poolSize) {
    this.circuits = circuits;
    this.client = vertx.httpClientBuilder()
      .with(new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setMaxRedirects(0))
      .with(new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(8192))
      .build();
  }

  /**
   * Calls an instance of {@code service}. {@code options} gives the method, path and both time limits
   * (the instance fills in host and port): the connect timeout also bounds the wait for a pooled
   * connection, which Vert.x leaves unbounded by default, so a call without it is refused.
   * {@code headers} writes the request's headers; {@code body} is sent when not null. Answers with the
   * first answer the policy accepts, or the last failure.
   */
  public Future<Answer> call(String service, CallPolicy policy, RequestOptions options, Buffer body,
                             MultiMap callerHeaders, Consumer<MultiMap> headers) {
    if (options.getConnectTimeout() <= 0 || options.getIdleTimeout() <= 0) {
      throw new IllegalArgumentException("a call to " + service + " needs a connect and an idle timeout");
    }
    boolean repeatable = policy.repeatable(options.getMethod(), callerHeaders);
    return attempt(service, policy, repeatable, options, body, headers, new HashSet<>(), null);
  }

  private Future<Answer> attempt(String service, CallPolicy policy, boolean repeatable, RequestOptions options, Buffer body,
                                 Consumer<MultiMap> headers, Set<Instance> tried, Throwable lastFailure) {
    Instance instance = tried.size() < policy.maxAttempts()
      ? circuits.discovery().next(service, candidate -> !tried.contains(candidate) && circuits.admits(candidate))
      : null;
    if (instance == null) {
      return outcome(lastFailure != null ? lastFailure : new NotReached("no instance of " + service + " is healthy", null));
    }
    if (!tried.isEmpty()) {
      circuits.retried(service);
    }
    tried.add(instance);
    return circuits.<Answer>execute(instance, () -> send(instance, policy, options, body, headers))
      .recover(failure -> {
        if (failure instanceof OpenCircuitException) {
          circuits.rejected(instance);
        }
        Throwable cause = failure instanceof OpenCircuitException || policy.neverReached().test(failure)
          ? new NotReached(failure.getMessage(), failure) : failure;
        return cause instanceof NotReached || repeatable
          ? attempt(service, policy, repeatable, options, body, headers, tried, cause)
          : outcome(cause);
      });
  }

  /** How a call ends on its last failure: a failing answer is still an answer, handed on as such. */
  private static Future<Answer> outcome(Throwable lastFailure) {
    return lastFailure instanceof FailingAnswer failing ? Future.succeededFuture(failing.answer) : Future.failedFuture(lastFailure);
  }

  private Future<Answer> send(Instance instance, CallPolicy policy, RequestOptions options, Buffer body, Consumer<MultiMap> headers) {
    return client.request(new RequestOptions(options).setHost(instance.host()).setPort(instance.port()))
      .recover(failure -> Future.failedFuture(new NotReached(failure.getMessage(), failure)))
      .compose(request -> {
        headers.accept(request.headers());
        return send(request, options.getMethod(), body);
      })
      .compose(response -> receive(instance, policy, response));
  }

  private static Future<HttpClientResponse> send(HttpClientRequest request, HttpMethod method, Buffer body) {
    return body != null && (body.length() > 0 || hasBody(method)) ? request.send(body) : request.send();
  }

  /**
   * A small answer is read whole here, inside the instance's circuit: an instance that breaks off in
   * the middle of one counts as failing. A larger one is handed on paused, to be streamed. An answer
   * whose status the policy counts as failing is read whole too (it may be dropped for another
   * instance's), and fails the call, carrying the answer with it.
   */
  private static Future<Answer> receive(Instance instance, CallPolicy policy, HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean failing = policy.failingStatus().test(response.statusCode());
    if (!failing && (length == null || announcedLength(length) > policy.bufferedAnswerLimit())) {
      return Future.succeededFuture(new Answer(instance, response.pause(), length, null));
    }
    Future<Answer> answer = response.body().map(buffer -> new Answer(instance, response, length, buffer));
    return failing ? answer.compose(whole -> Future.failedFuture(new FailingAnswer(whole))) : answer;
  }

  private static long announcedLength(String contentLength) {
    try {
      return Long.parseLong(contentLength);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static boolean hasBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
  }

  public Future<Void> close() {
    return client.close();
  }
}
