package io.swarmshop.invoices;

import static io.swarmshop.testing.Eventually.eventually;
import static io.swarmshop.testing.ProblemAnswers.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Fixtures;
import io.swarmshop.testing.FreePorts;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.swarmshop.testing.Started;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Invoices when customers is stopped, hangs, loses a replica, or comes back: fast 503s, an instance
 * ejected by its own circuit while the others serve, and the circuit's figures in /metrics.
 */
@ExtendWith(VertxExtension.class)
class DependencyFailureTest {
  /** Well below any time limit the dependency calls have here: an answer this fast did not wait on a dependency. */
  private static final long WITHOUT_WAITING_MS = 1000;

  private final Started started = new Started();
  private RedisServer customersRedis;
  private RunningService products;
  private JsonObject product;

  @BeforeEach
  void start(Vertx vertx) {
    customersRedis = started.redis();
    products = started.serviceWithRedis("products", io.swarmshop.products.Main::application, Map.of());
    product = Fixtures.direct(null, new Http(vertx, products.httpPort())).product("Pen", "2.00");
  }

  @AfterEach
  void stop() {
    started.close();
  }

  private RunningService customersOn(int port) {
    return started.service("customers", io.swarmshop.customers.Main::application,
      Map.of("REDIS_URL", customersRedis.url(), "HTTP_PORT", String.valueOf(port)));
  }

  private RunningService invoices(String customersUrls, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("CUSTOMERS_URLS", customersUrls);
    all.put("PRODUCTS_URLS", "http://127.0.0.1:" + products.httpPort());
    return started.serviceWithRedis("invoices", Main::application, all);
  }

  private JsonObject order(String customerId) {
    return new JsonObject().put("customerId", customerId).put("productId", product.getString("id")).put("quantity", 1);
  }

  private static String createCustomer(Vertx vertx, RunningService customers) {
    return Fixtures.direct(new Http(vertx, customers.httpPort()), null).customer("Ada").getString("id");
  }

  private static long millis(Runnable action) {
    long started = System.nanoTime();
    action.run();
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** A figure of one customers instance's circuit in invoices' /metrics. */
  private static double circuitFigure(Http management, String name, int customersPort) {
    Matcher figure = Pattern.compile(Pattern.quote(name + "{address=\"127.0.0.1:" + customersPort
      + "\",dependency=\"customers\",service=\"invoices\"} ") + "([0-9.]+)").matcher(management.get("/metrics").bodyAsString());
    return figure.find() ? Double.parseDouble(figure.group(1)) : -1;
  }

  @Test
  void customersStoppedGivesA503WithoutWaitingAndStoresNothing(Vertx vertx) {
    int port = FreePorts.find();
    RunningService customers = customersOn(port);
    String customerId = createCustomer(vertx, customers);
    Http http = new Http(vertx, invoices("http://127.0.0.1:" + port, Map.of("DEPENDENCY_TIMEOUT_MS", "3000")).httpPort());
    assertEquals(201, http.post("/invoices", order(customerId)).statusCode());

    Http.await(customers.close());
    for (int i = 0; i < 3; i++) {
      long elapsed = millis(() -> assertUnavailable(http.post("/invoices", order(customerId))));
      assertTrue(elapsed < WITHOUT_WAITING_MS, "a refused connection is a 503 at once, not after the time limit; took " + elapsed + " ms");
    }
    assertEquals(1, http.get("/invoices").bodyAsJsonObject().getJsonArray("items").size());
  }

  @Test
  void aRefusedConnectionIsRetriedOnTheOtherReplica(Vertx vertx) {
    int firstPort = FreePorts.find();
    int secondPort = FreePorts.find();
    RunningService first = customersOn(firstPort);
    customersOn(secondPort);
    String customerId = createCustomer(vertx, first);
    Http http = new Http(vertx, invoices("http://127.0.0.1:" + firstPort + ",http://127.0.0.1:" + secondPort,
      Map.of("CIRCUIT_MAX_FAILURES", "2")).httpPort());

    Http.await(first.close());
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> response = http.post("/invoices", order(customerId));
      assertEquals(201, response.statusCode(), "request " + i + ": " + response.bodyAsString());
    }
  }

  @Test
  void aHangingReplicaIsEjectedByItsOwnCircuitWhileTheOtherServes(Vertx vertx) {
    int hangingPort = FreePorts.find();
    int livePort = FreePorts.find();
    String customerId = createCustomer(vertx, customersOn(livePort));
    AtomicInteger hangingCalls = new AtomicInteger();
    Http.await(vertx.createHttpServer().requestHandler(request -> hangingCalls.incrementAndGet()).listen(hangingPort));
    RunningService invoices = invoices("http://127.0.0.1:" + hangingPort + ",http://127.0.0.1:" + livePort,
      Map.of("DEPENDENCY_TIMEOUT_MS", "300", "CIRCUIT_MAX_FAILURES", "2", "CIRCUIT_RESET_MS", "60000"));
    Http http = new Http(vertx, invoices.httpPort());
    Http management = new Http(vertx, invoices.managementPort());

    int created = 0;
    for (int i = 0; i < 20; i++) {
      created += http.post("/invoices", order(customerId)).statusCode() == 201 ? 1 : 0;
    }
    assertEquals(2, hangingCalls.get(), "the hanging replica got calls until its circuit opened, then none");
    assertEquals(18, created, "every call that did not go to the hanging replica succeeded");
    assertEquals(2.0, circuitFigure(management, "swarmshop_circuit_state", hangingPort), "the hanging replica's circuit is open");
    assertEquals(0.0, circuitFigure(management, "swarmshop_circuit_state", livePort), "the live one's is closed");
    assertTrue(circuitFigure(management, "swarmshop_circuit_rejected_total", hangingPort) >= 1, "calls it was passed over for are counted");
  }

  @Test
  void theCircuitOpensAnswersWithoutCallingAndClosesWhenCustomersIsBack(Vertx vertx) {
    int port = FreePorts.find();
    RunningService customers = customersOn(port);
    String customerId = createCustomer(vertx, customers);
    Http.await(customers.close());
    AtomicInteger calls = new AtomicInteger();
    HttpServer hanging = Http.await(vertx.createHttpServer().requestHandler(request -> calls.incrementAndGet()).listen(port));
    RunningService invoices = invoices("http://127.0.0.1:" + port,
      Map.of("DEPENDENCY_TIMEOUT_MS", "1500", "CIRCUIT_MAX_FAILURES", "3", "CIRCUIT_RESET_MS", "3000"));
    Http http = new Http(vertx, invoices.httpPort());
    Http management = new Http(vertx, invoices.managementPort());

    for (int i = 0; i < 3; i++) {
      long elapsed = millis(() -> assertUnavailable(http.post("/invoices", order(customerId))));
      assertTrue(elapsed >= 1400, "a hanging dependency is cut at its time limit, not before; took " + elapsed + " ms");
    }
    assertEquals(3, calls.get());
    assertEquals(2.0, circuitFigure(management, "swarmshop_circuit_state", port), "the circuit is open");

    for (int i = 0; i < 10; i++) {
      long elapsed = millis(() -> assertUnavailable(http.post("/invoices", order(customerId))));
      assertTrue(elapsed < WITHOUT_WAITING_MS, "an open circuit answers without waiting on the dependency; took " + elapsed + " ms");
    }
    assertEquals(3, calls.get(), "an open circuit does not call customers");
    assertTrue(circuitFigure(management, "swarmshop_circuit_rejected_total", port) >= 10, "the rejected calls are counted");

    Http.await(hanging.close());
    customersOn(port);
    eventually(Duration.ofSeconds(15), "once customers is back, a half-open probe closes the circuit and invoices are issued",
      () -> http.post("/invoices", order(customerId)).statusCode(), status -> status == 201);
    assertEquals(0.0, circuitFigure(management, "swarmshop_circuit_state", port));
  }
}
