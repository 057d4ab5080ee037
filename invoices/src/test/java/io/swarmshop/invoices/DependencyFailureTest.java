package io.swarmshop.invoices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.common.RunningService;
import io.swarmshop.common.testing.FreePorts;
import io.swarmshop.common.testing.Http;
import io.swarmshop.common.testing.RedisServer;
import io.swarmshop.common.testing.Started;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Invoices when customers is stopped, hangs, loses a replica, or comes back: fast 503s and a working circuit. */
@ExtendWith(VertxExtension.class)
class DependencyFailureTest {
  private final Started started = new Started();
  private RedisServer customersRedis;
  private RunningService products;
  private JsonObject product;

  @BeforeEach
  void start(Vertx vertx) {
    customersRedis = started.redis();
    products = started.serviceWithRedis("products", io.swarmshop.products.Main.application(), Map.of());
    product = new Http(vertx, products.httpPort()).post("/products", new JsonObject().put("name", "Pen").put("price", new BigDecimal("2.00"))).bodyAsJsonObject();
  }

  @AfterEach
  void stop() {
    started.close();
  }

  private RunningService customersOn(int port) {
    return started.service("customers", io.swarmshop.customers.Main.application(),
      Map.of("REDIS_URL", customersRedis.url(), "HTTP_PORT", String.valueOf(port)));
  }

  private RunningService invoices(String customersUrls, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("CUSTOMERS_URLS", customersUrls);
    all.put("PRODUCTS_URLS", "http://127.0.0.1:" + products.httpPort());
    return started.serviceWithRedis("invoices", Main.application(), all);
  }

  private JsonObject order(String customerId) {
    return new JsonObject().put("customerId", customerId).put("productId", product.getString("id")).put("quantity", 1);
  }

  private static String createCustomer(Vertx vertx, RunningService customers) {
    return new Http(vertx, customers.httpPort()).post("/customers", new JsonObject().put("name", "Ada")).bodyAsJsonObject().getString("id");
  }

  private static long millis(Runnable action) {
    long started = System.nanoTime();
    action.run();
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static void assertUnavailable(HttpResponse<Buffer> response) {
    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals("application/problem+json", response.getHeader("Content-Type"));
    assertEquals("1", response.getHeader("Retry-After"));
  }

  @Test
  void customersStoppedGivesA503FastAndStoresNothing(Vertx vertx) {
    int port = FreePorts.find();
    RunningService customers = customersOn(port);
    String customerId = createCustomer(vertx, customers);
    Http http = new Http(vertx, invoices("http://127.0.0.1:" + port, Map.of()).httpPort());
    assertEquals(201, http.post("/invoices", order(customerId)).statusCode());

    Http.await(customers.close());
    for (int i = 0; i < 3; i++) {
      long elapsed = millis(() -> assertUnavailable(http.post("/invoices", order(customerId))));
      assertTrue(elapsed < 500, "503 in well under a second, took " + elapsed + " ms");
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
  void theCircuitOpensAnswersWithoutCallingAndClosesWhenCustomersIsBack(Vertx vertx) throws InterruptedException {
    int port = FreePorts.find();
    RunningService customers = customersOn(port);
    String customerId = createCustomer(vertx, customers);
    Http.await(customers.close());
    AtomicInteger calls = new AtomicInteger();
    HttpServer hanging = Http.await(vertx.createHttpServer().requestHandler(request -> calls.incrementAndGet()).listen(port));
    RunningService invoices = invoices("http://127.0.0.1:" + port,
      Map.of("DEPENDENCY_TIMEOUT_MS", "300", "CIRCUIT_MAX_FAILURES", "3", "CIRCUIT_RESET_MS", "1500"));
    Http http = new Http(vertx, invoices.httpPort());
    Http management = new Http(vertx, invoices.managementPort());

    for (int i = 0; i < 3; i++) {
      long elapsed = millis(() -> assertUnavailable(http.post("/invoices", order(customerId))));
      assertTrue(elapsed < 900, "a hanging dependency is cut at its time limit, took " + elapsed + " ms");
    }
    assertEquals(3, calls.get());
    assertTrue(management.get("/metrics").bodyAsString().contains("swarmshop_circuit_state{dependency=\"customers\",service=\"invoices\"} 2.0"),
      "the circuit is open");

    for (int i = 0; i < 10; i++) {
      long elapsed = millis(() -> assertUnavailable(http.post("/invoices", order(customerId))));
      assertTrue(elapsed < 100, "an open circuit answers at once, took " + elapsed + " ms");
    }
    assertEquals(3, calls.get(), "an open circuit does not call customers");

    Http.await(hanging.close());
    customersOn(port);
    long deadline = System.currentTimeMillis() + 10_000;
    int status = 0;
    while (status != 201 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      status = http.post("/invoices", order(customerId)).statusCode();
    }
    assertEquals(201, status, "once customers is back, a half-open probe closes the circuit");
    assertTrue(management.get("/metrics").bodyAsString().contains("swarmshop_circuit_state{dependency=\"customers\",service=\"invoices\"} 0.0"));
    Matcher rejected = Pattern.compile("swarmshop_circuit_rejected_total\\{dependency=\"customers\",service=\"invoices\"} (\\d+)")
      .matcher(management.get("/metrics").bodyAsString());
    assertTrue(rejected.find() && Integer.parseInt(rejected.group(1)) >= 10, "the rejected calls are counted");
    assertEquals(201, http.post("/invoices", order(customerId)).statusCode());
  }
}
