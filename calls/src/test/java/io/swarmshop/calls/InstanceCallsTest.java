package io.swarmshop.calls;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmshop.discovery.DiscoverySettings;
import io.swarmshop.discovery.Instance;
import io.swarmshop.service.Environment;
import io.swarmshop.testing.FreePorts;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.LogLines;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared call path against real HTTP servers standing in for a service's instances. */
@ExtendWith(VertxExtension.class)
class InstanceCallsTest {
  /** Repeats GETs after a failure, counts a 5xx as one, reads every answer whole. */
  private static final CallPolicy GETS_REPEATED = new CallPolicy(3, status -> status >= 500, Set.of(HttpMethod.GET), false,
    failure -> false, Long.MAX_VALUE);

  private final List<HttpServer> servers = new ArrayList<>();
  private InstanceCircuits circuits;
  private InstanceCalls calls;
  /** The event loop the calls are made on, as a service makes them. */
  private Context loop;

  @AfterEach
  void stop() {
    if (circuits != null) {
      Http.await(circuits.close());
      Http.await(calls.close());
    }
    servers.forEach(server -> Http.await(server.close()));
  }

  /** An instance on a free port that answers each request as {@code behaviour} says; its port. */
  private int instance(Vertx vertx, Consumer<HttpServerRequest> behaviour) {
    return instance(vertx, FreePorts.find(), behaviour);
  }

  private int instance(Vertx vertx, int port, Consumer<HttpServerRequest> behaviour) {
    HttpServer server = Http.await(vertx.createHttpServer().requestHandler(behaviour::accept).listen(port, "127.0.0.1"));
    servers.add(server);
    return server.actualPort();
  }

  private static Consumer<HttpServerRequest> answering(int status, String body) {
    return request -> request.response().setStatusCode(status).end(body);
  }

  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private void discover(Vertx vertx, int maxFailures, int... ports) {
    discover(vertx, new CircuitSettings(maxFailures, 500, 0), ports);
  }

  private void discover(Vertx vertx, CircuitSettings settings, int... ports) {
    discoverWithPool(vertx, settings, 4, ports);
  }

  /** With {@code poolSize} connections at most to each instance. */
  private void discoverWithPool(Vertx vertx, CircuitSettings settings, int poolSize, int... ports) {
    StringBuilder urls = new StringBuilder();
    for (int port : ports) {
      urls.append(urls.length() == 0 ? "" : ",").append("http://127.0.0.1:").append(port);
    }
    circuits = Http.await(InstanceCircuits.start(vertx, DiscoverySettings.from(new Environment(Map.of("ITEMS_URLS", urls.toString())), List.of("items")),
      settings, meters));
    calls = new InstanceCalls(vertx, circuits, poolSize);
    loop = vertx.getOrCreateContext();
  }

  /** One call, made on the event loop, with the time limits a service sets. */
  private Future<Answer> call(HttpMethod method, CallPolicy policy) {
    return call(method, policy, 1000, 2000);
  }

  private Future<Answer> call(HttpMethod method, CallPolicy policy, long connectTimeoutMs, long idleTimeoutMs) {
    Promise<Answer> answer = Promise.promise();
    loop.runOnContext(onLoop -> calls.call("items", policy,
        new RequestOptions().setMethod(method).setURI("/items/1").setConnectTimeout(connectTimeoutMs).setIdleTimeout(idleTimeoutMs),
        method == HttpMethod.POST ? Buffer.buffer("{}") : null, MultiMap.caseInsensitiveMultiMap(), headers -> { })
      .onComplete(answer));
    return answer.future();
  }

  private Instance instanceAt(int port) {
    return circuits.discovery().instances("items").stream().filter(instance -> instance.port() == port).findFirst().orElseThrow();
  }

  private static String body(Future<Answer> answer) {
    return Http.await(answer).body().toString();
  }

  private static Throwable failure(Future<Answer> answer) {
    return Http.await(answer.transform(done -> Future.succeededFuture(done.cause())));
  }

  @Test
  void callsGoToTheInstancesInTurn(Vertx vertx) {
    discover(vertx, 3, instance(vertx, answering(200, "a")), instance(vertx, answering(200, "b")));
    List<String> answers = List.of(body(call(HttpMethod.GET, GETS_REPEATED)), body(call(HttpMethod.GET, GETS_REPEATED)),
      body(call(HttpMethod.GET, GETS_REPEATED)), body(call(HttpMethod.GET, GETS_REPEATED)));
    assertEquals(Set.of("a", "b"), Set.copyOf(answers));
    assertTrue(!answers.get(0).equals(answers.get(1)) && answers.get(0).equals(answers.get(2)), "round robin: " + answers);
  }

  @Test
  void aRepeatableCallThatFailedOnOneInstanceIsSentToAnotherAndOneThatIsNotIsNot(Vertx vertx) {
    AtomicInteger broken = new AtomicInteger();
    int breaking = instance(vertx, request -> {
      broken.incrementAndGet();
      request.connection().close();
    });
    discover(vertx, 10, breaking, instance(vertx, answering(200, "ok")));
    for (int i = 0; i < 4; i++) {
      assertEquals("ok", body(call(HttpMethod.GET, GETS_REPEATED)), "a GET is repeated on the other instance");
    }
    int before = broken.get();
    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Throwable failure = failure(call(HttpMethod.POST, GETS_REPEATED));
      if (failure != null) {
        failures.add(failure);
      }
    }
    assertEquals(broken.get() - before, failures.size(), "each POST that reached the breaking instance fails, and is not sent again");
    assertTrue(failures.size() >= 1 && failures.stream().noneMatch(NotReached.class::isInstance), failures.toString());

    String scrape = meters.scrape();
    String failed = "swarmshop_calls_duration_seconds_count{address=\"127.0.0.1:" + breaking + "\",dependency=\"items\",outcome=\"failed\"} ";
    assertEquals(broken.get(), count(scrape, failed), "every call the breaking instance broke off is timed as failed: " + scrape);
    assertTrue(count(scrape, "swarmshop_calls_retried_total{dependency=\"items\"} ") >= 1, "the GETs sent again are counted");
  }

  /** The value of the series whose line starts with {@code series} in a scrape, or -1. */
  private static long count(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series)).mapToLong(line -> (long) Double.parseDouble(line.substring(series.length())))
      .findFirst().orElse(-1);
  }

  @Test
  void aRequestThatNeverLeftIsSentToAnotherInstanceWhateverItsMethod(Vertx vertx) {
    discover(vertx, 10, FreePorts.find(), instance(vertx, answering(200, "ok")));
    CallPolicy nothingRepeated = new CallPolicy(2, status -> false, Set.of(), false, failure -> false, Long.MAX_VALUE);
    for (int i = 0; i < 4; i++) {
      assertEquals("ok", body(call(HttpMethod.POST, nothingRepeated)), "a refused connection is tried on the other instance");
    }
  }

  @Test
  void aFailingAnswerCountsAgainstItsInstanceUntilItIsEjectedAndProbedBack(Vertx vertx) {
    AtomicInteger status = new AtomicInteger(500);
    int port = instance(vertx, request -> request.response().setStatusCode(status.get()).end("answered " + status.get()));
    discover(vertx, 2, port);
    assertEquals(500, Http.await(call(HttpMethod.GET, GETS_REPEATED)).status(), "with no other instance the failing answer itself is handed on");
    assertEquals(500, Http.await(call(HttpMethod.GET, GETS_REPEATED)).status());
    Instance instance = circuits.discovery().instances("items").get(0);
    assertEquals(CircuitBreakerState.OPEN, circuits.state(instance), "two failing answers eject it");
    assertInstanceOf(NotReached.class, failure(call(HttpMethod.GET, GETS_REPEATED)), "an ejected instance is not called");

    status.set(404);
    eventually(Duration.ofSeconds(10), "after the reset time the instance is probed and let back in", () -> circuits.healthy(instance));
    assertEquals("answered 404", body(call(HttpMethod.GET, GETS_REPEATED)));
  }

  @Test
  void anInstanceIsSaidEjectedOnceHoweverManyProbesFailAndBackOnce(Vertx vertx) throws InterruptedException {
    try (LogLines log = LogLines.of(InstanceCircuits.class.getName())) {
      int port = FreePorts.find();
      discover(vertx, 1, port);
      Instance instance = circuits.discovery().instances("items").get(0);
      failure(call(HttpMethod.GET, GETS_REPEATED));
      assertEquals(CircuitBreakerState.OPEN, circuits.state(instance), "a refused connection ejects it");
      // The reset time is 500 ms: over 3 s several probes find nothing listening and open the circuit again.
      Thread.sleep(3000);
      assertEquals(CircuitBreakerState.OPEN, circuits.state(instance));
      instance(vertx, port, answering(200, "ok"));
      eventually(Duration.ofSeconds(10), "a probe to let the instance back in", () -> circuits.healthy(instance));
      List<String> lines = log.lines();
      assertEquals(1, lines.stream().filter(line -> line.contains("ejected: its calls fail (the last: ") && line.contains("refused")).count(),
        "said once, with what failed: " + lines);
      assertEquals(1, lines.stream().filter(line -> line.endsWith("is back")).count(), lines.toString());
    }
  }

  @Test
  void anInstanceSlowNextToAQuickOneIsEjected(Vertx vertx) throws InterruptedException {
    int slow = instance(vertx, request -> vertx.setTimer(400, elapsed -> request.response().end("slow")));
    int quick = instance(vertx, answering(200, "quick"));
    discover(vertx, new CircuitSettings(3, 5000, 200), slow, quick);
    try (LogLines log = LogLines.of(InstanceCircuits.class.getName())) {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(call(HttpMethod.GET, GETS_REPEATED));
        Thread.sleep(20);
      }
      answers.forEach(answer -> assertEquals(200, Http.await(answer).status(), "a slow answer is still handed on"));
      assertEquals(CircuitBreakerState.OPEN, circuits.state(instanceAt(slow)), "slow while the other answered quickly: " + log.lines());
      assertTrue(circuits.healthy(instanceAt(quick)));
      assertTrue(log.lines().stream().anyMatch(line -> line.contains("ejected") && line.contains("(the last: answered in ")), log.lines().toString());
    }
  }

  @Test
  void answersAllSlowTogetherAsTheCallerStallsEjectNoInstance(Vertx vertx) {
    int first = instance(vertx, answering(200, "a"));
    int second = instance(vertx, answering(200, "b"));
    discover(vertx, new CircuitSettings(3, 5000, 200), first, second);
    for (int i = 0; i < 6; i++) {
      body(call(HttpMethod.GET, GETS_REPEATED));
    }
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(call(HttpMethod.GET, GETS_REPEATED));
    }
    // The caller's event loop stalls while the calls are out, as when a node's containers all start
    // at once on the cores it shares: every answer is taken in late, whichever instance gave it.
    loop.runOnContext(stalled -> {
      long until = System.nanoTime() + 400_000_000L;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    });
    answers.forEach(answer -> assertEquals(200, Http.await(answer).status()));
    assertTrue(circuits.healthy(instanceAt(first)) && circuits.healthy(instanceAt(second)), "no instance is ejected for the caller's stall");
  }

  /** An instance whose first request is never answered: it holds the one pooled connection to it. */
  private Consumer<HttpServerRequest> holdingItsFirstConnection(String body) {
    AtomicInteger requests = new AtomicInteger();
    return request -> {
      if (requests.getAndIncrement() > 0) {
        request.response().end(body);
      }
    };
  }

  @Test
  void anInstanceThatGivesNoConnectionInTimeWhileAnotherAnswersIsEjected(Vertx vertx) throws InterruptedException {
    int held = instance(vertx, holdingItsFirstConnection("held"));
    int free = instance(vertx, answering(200, "free"));
    discoverWithPool(vertx, new CircuitSettings(3, 60_000, 0), 1, held, free);
    // In turn: one of the two goes to the held instance, and waits there.
    call(HttpMethod.GET, GETS_REPEATED, 200, 30_000);
    call(HttpMethod.GET, GETS_REPEATED, 200, 30_000);
    Thread.sleep(100);
    // Calls keep coming while one waits for its connection, as under load: the other answers those.
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      answers.add(call(HttpMethod.GET, GETS_REPEATED, 200, 30_000));
      Thread.sleep(20);
    }
    answers.forEach(answer -> assertEquals("free", body(answer), "a call that got no connection goes to the other"));
    assertEquals(CircuitBreakerState.OPEN, circuits.state(instanceAt(held)), "no connection in time, while the other answered");
    assertTrue(circuits.healthy(instanceAt(free)));
  }

  @Test
  void noConnectionInTimeToEveryInstanceAtOnceEjectsNone(Vertx vertx) {
    int first = instance(vertx, holdingItsFirstConnection("a"));
    int second = instance(vertx, holdingItsFirstConnection("b"));
    discoverWithPool(vertx, new CircuitSettings(3, 60_000, 0), 1, first, second);
    call(HttpMethod.GET, GETS_REPEATED, 200, 30_000);
    call(HttpMethod.GET, GETS_REPEATED, 200, 30_000);
    for (int i = 0; i < 6; i++) {
      assertInstanceOf(NotReached.class, failure(call(HttpMethod.GET, GETS_REPEATED, 200, 30_000)), "no connection to be had anywhere");
    }
    assertTrue(circuits.healthy(instanceAt(first)) && circuits.healthy(instanceAt(second)),
      "the caller, not the instances: none is ejected");
  }

  @Test
  void anOnlyInstanceThatGivesNoConnectionInTimeIsEjected(Vertx vertx) {
    int held = instance(vertx, holdingItsFirstConnection("held"));
    discoverWithPool(vertx, new CircuitSettings(3, 60_000, 0), 1, held);
    call(HttpMethod.GET, GETS_REPEATED, 200, 30_000);
    for (int i = 0; i < 3; i++) {
      failure(call(HttpMethod.GET, GETS_REPEATED, 200, 30_000));
    }
    assertEquals(CircuitBreakerState.OPEN, circuits.state(instanceAt(held)), "alone, it cannot be told from the caller: it is ejected");
  }
}
