package io.swarmshop.invoices;

import io.swarmshop.http.Idempotency;
import static io.swarmshop.testing.Fixtures.order;
import static io.swarmshop.testing.ProblemAnswers.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Fixtures;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invoices over real HTTP, with real customers and products services, each on its own real Redis. */
@ExtendWith(VertxExtension.class)
class InvoicesApiTest {
  private static final Started started = new Started();
  private static Http invoices;
  private static Http customers;
  private static Http products;
  private static Http management;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(Vertx vertx) {
    RunningService customersService = started.serviceWithRedis("customers", io.swarmshop.customers.Main::application, Map.of());
    RunningService productsService = started.serviceWithRedis("products", io.swarmshop.products.Main::application, Map.of());
    RunningService invoicesService = started.serviceWithRedis("invoices", Main::application, Map.of(
      "CUSTOMERS_URLS", "http://127.0.0.1:" + customersService.httpPort(),
      "PRODUCTS_URLS", "http://127.0.0.1:" + productsService.httpPort()));
    customers = new Http(vertx, customersService.httpPort());
    products = new Http(vertx, productsService.httpPort());
    invoices = new Http(vertx, invoicesService.httpPort());
    management = new Http(vertx, invoicesService.managementPort());
    fixtures = Fixtures.direct(customers, products);
  }

  @AfterAll
  static void stop() {
    started.close();
  }

  private static JsonObject customer(String name) {
    return fixtures.customer(name);
  }

  private static JsonObject product(String name, String price) {
    return fixtures.product(name, price);
  }

  private static List<JsonObject> all(String query) {
    return invoices.all("/invoices", query);
  }

  @Test
  void issuesAnInvoiceWithNamesPriceSnapshotAndExactTotal() {
    JsonObject ada = customer("Ada");
    JsonObject widget = product("Widget", "19.99");
    HttpResponse<Buffer> response = invoices.post("/invoices", order(ada, widget, 3));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    JsonObject invoice = response.bodyAsJsonObject();
    assertEquals("/invoices/" + invoice.getString("id"), response.getHeader("Location"));
    assertEquals("invoices@invoices-test", response.getHeader("X-Served-By"));
    assertEquals(ada.getString("id"), invoice.getString("customerId"));
    assertEquals("Ada", invoice.getString("customerName"));
    assertEquals("Widget", invoice.getString("productName"));
    assertEquals(3, invoice.getInteger("quantity"));
    assertTrue(response.bodyAsString().contains("\"unitPrice\":19.99"), response.bodyAsString());
    assertTrue(response.bodyAsString().contains("\"total\":59.97"), "exact, not 59.970000000000006: " + response.bodyAsString());
    assertTrue(invoice.getString("issuedAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertEquals(invoice, invoices.get("/invoices/" + invoice.getString("id")).bodyAsJsonObject());

    products.put("/products/" + widget.getString("id"), new JsonObject().put("name", "Widget v2").put("price", 25));
    JsonObject later = invoices.get("/invoices/" + invoice.getString("id")).bodyAsJsonObject();
    assertEquals("Widget", later.getString("productName"), "a snapshot: later product changes do not rewrite invoices");
    assertEquals(invoice.getValue("unitPrice").toString(), later.getValue("unitPrice").toString());
  }

  @Test
  void largestTotalsStayExact() {
    JsonObject invoice = invoices.post("/invoices", order(customer("Big"), product("Yacht", "999999.99"), 1_000_000)).bodyAsJsonObject();
    assertEquals(0, new BigDecimal("999999990000.00").compareTo(new BigDecimal(invoice.getValue("total").toString())), invoice.encode());
  }

  @Test
  void unknownCustomerOrProductIs422NamingTheField() {
    JsonObject ada = customer("Ada");
    JsonObject widget = product("Widget", "1");
    int before = all("").size();

    HttpResponse<Buffer> noCustomer = invoices.post("/invoices", order(ada, widget, 1).put("customerId", "no-such-customer"));
    assertEquals(422, noCustomer.statusCode(), noCustomer.bodyAsString());
    assertEquals("application/problem+json", noCustomer.getHeader("Content-Type"));
    assertEquals(List.of("customerId"), fields(noCustomer));

    HttpResponse<Buffer> noProduct = invoices.post("/invoices", order(ada, widget, 1).put("productId", "no-such-product"));
    assertEquals(422, noProduct.statusCode());
    assertEquals(List.of("productId"), fields(noProduct));

    HttpResponse<Buffer> neither = invoices.post("/invoices", new JsonObject().put("customerId", "nobody").put("productId", "nothing").put("quantity", 1));
    assertEquals(List.of("customerId", "productId"), fields(neither));

    customers.delete("/customers/" + ada.getString("id"));
    assertEquals(List.of("customerId"), fields(invoices.post("/invoices", order(ada, widget, 1))), "a deleted customer is unknown");
    assertEquals(before, all("").size(), "nothing stored");
  }

  private static List<String> fields(HttpResponse<Buffer> problem) {
    return problem.bodyAsJsonObject().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).sorted().toList();
  }

  @Test
  void listsNewestFirstAndFiltersByCustomer() {
    JsonObject grace = customer("Grace");
    JsonObject alan = customer("Alan");
    JsonObject pen = product("Pen", "2.50");
    List<String> graceIds = new ArrayList<>();
    for (int quantity = 1; quantity <= 5; quantity++) {
      graceIds.add(0, invoices.post("/invoices", order(grace, pen, quantity)).bodyAsJsonObject().getString("id"));
    }
    invoices.post("/invoices", order(alan, pen, 1));

    JsonObject firstPage = invoices.get("/invoices?customerId=" + grace.getString("id") + "&limit=2").bodyAsJsonObject();
    assertEquals(graceIds.subList(0, 2), ids(firstPage.getJsonArray("items")));
    JsonObject secondPage = invoices.get("/invoices?customerId=" + grace.getString("id") + "&limit=2&cursor=" + firstPage.getString("nextCursor")).bodyAsJsonObject();
    assertEquals(graceIds.subList(2, 4), ids(secondPage.getJsonArray("items")));
    assertEquals(graceIds, all("&customerId=" + grace.getString("id")).stream().map(i -> i.getString("id")).toList());
    assertEquals(1, all("&customerId=" + alan.getString("id")).size());
    assertEquals(List.of(), all("&customerId=nobody-at-all"));
    assertEquals("12.50", all("&customerId=" + grace.getString("id")).get(0).getValue("total").toString().replaceAll("^12\\.5$", "12.50"));
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  @Test
  void invoicesAreImmutable() {
    String id = invoices.post("/invoices", order(customer("Ada"), product("Pen", "1"), 1)).bodyAsJsonObject().getString("id");
    assertEquals(405, invoices.put("/invoices/" + id, new JsonObject().put("quantity", 2)).statusCode());
    assertEquals(405, invoices.delete("/invoices/" + id).statusCode());
    assertEquals(1, invoices.get("/invoices/" + id).bodyAsJsonObject().getInteger("quantity"));
  }

  @Test
  void forwardsTheRequestIdToItsDependencies() {
    HttpResponse<Buffer> response = invoices.send(HttpMethod.POST, "/invoices", order(customer("Ada"), product("Pen", "1"), 1).encode(),
      MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "trace-me.42"));
    assertEquals(201, response.statusCode());
    assertEquals("trace-me.42", response.getHeader("X-Request-Id"));
    String customerMetrics = management.get("/metrics").bodyAsString();
    assertTrue(customerMetrics.contains("vertx_http_client_requests_total"), "HTTP client figures");
    assertTrue(customerMetrics.contains("swarmshop_circuit_state{address=\"127.0.0.1:"), "circuit figures");
    assertTrue(customerMetrics.contains(",dependency=\"customers\",outcome=\"answered\"}"), "the calls' durations");
    assertTrue(customerMetrics.contains("vertx_pool"), "pool figures");
  }

  @Test
  void replaysAnIdempotentRetryAndRefusesTheKeyForAnotherBody() {
    JsonObject ada = customer("Ada");
    JsonObject pen = product("Pen", "1.10");
    MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "order-7.retry_1");
    HttpResponse<Buffer> first = invoices.send(HttpMethod.POST, "/invoices", order(ada, pen, 2).encode(), key);
    assertEquals(201, first.statusCode());
    assertNull(first.getHeader("Idempotent-Replayed"));

    HttpResponse<Buffer> again = invoices.send(HttpMethod.POST, "/invoices", order(ada, pen, 2).encode(), key);
    assertEquals(201, again.statusCode());
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    assertEquals(first.getHeader("Location"), again.getHeader("Location"));

    HttpResponse<Buffer> other = invoices.send(HttpMethod.POST, "/invoices", order(ada, pen, 3).encode(), key);
    assertEquals(422, other.statusCode(), other.bodyAsString());
    assertEquals(List.of("Idempotency-Key"), fields(other));
    assertEquals(1, all("&customerId=" + ada.getString("id")).size(), "one invoice for three requests");
  }

  /** Waits for requests sent at once; each must be a 201. The ids of the invoices they answered. */
  private static Set<String> createdIds(List<Future<HttpResponse<Buffer>>> requests) {
    Set<String> ids = new HashSet<>();
    Http.await(Future.all(requests)).<HttpResponse<Buffer>>list().forEach(answer -> {
      assertEquals(201, answer.statusCode(), answer.bodyAsString());
      ids.add(answer.bodyAsJsonObject().getString("id"));
    });
    return ids;
  }

  @Test
  void concurrentRetriesWithOneKeyCreateOneInvoice() {
    JsonObject ada = customer("Ada");
    JsonObject pen = product("Pen", "1");
    MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "same-for-all-" + ada.getString("id"));
    Set<String> ids = createdIds(IntStream.range(0, 20)
      .mapToObj(i -> invoices.sendAsync(HttpMethod.POST, "/invoices", order(ada, pen, 4).encode(), key)).toList());
    assertEquals(1, ids.size());
    assertEquals(1, all("&customerId=" + ada.getString("id")).size());
  }

  @Test
  void twoHundredConcurrentPostsGiveTwoHundredDistinctInvoicesAllListed() {
    JsonObject ada = customer("Concurrent Ada");
    JsonObject pen = product("Pen", "0.01");
    Set<String> ids = createdIds(IntStream.rangeClosed(1, 200)
      .mapToObj(quantity -> invoices.sendAsync(HttpMethod.POST, "/invoices", order(ada, pen, quantity).encode(), MultiMap.caseInsensitiveMultiMap())).toList());
    assertEquals(200, ids.size());
    List<JsonObject> listed = all("&customerId=" + ada.getString("id"));
    assertEquals(ids, new HashSet<>(listed.stream().map(i -> i.getString("id")).toList()));
    Set<String> everyone = new HashSet<>(all("").stream().map(i -> i.getString("id")).toList());
    assertTrue(everyone.containsAll(ids));
  }

  /** One of each class of bad request over HTTP; JsonBodyTest holds every case of the body. */
  static Stream<Arguments> badRequests() {
    String customerId = customer("Valid").getString("id");
    String productId = product("Valid", "1").getString("id");
    String valid = "\"customerId\":\"" + customerId + "\",\"productId\":\"" + productId + "\"";
    return Stream.of(
      Arguments.of("malformed JSON", "/invoices", "{\"customerId\": ", "application/json", null, 400),
      Arguments.of("missing quantity", "/invoices", "{" + valid + "}", "application/json", null, 400),
      Arguments.of("extra field", "/invoices", "{" + valid + ",\"quantity\":1,\"total\":0}", "application/json", null, 400),
      Arguments.of("quantity 1.5", "/invoices", "{" + valid + ",\"quantity\":1.5}", "application/json", null, 400),
      Arguments.of("customerId with *", "/invoices", "{\"customerId\":\"a*\",\"productId\":\"" + productId + "\",\"quantity\":1}", "application/json", null, 400),
      Arguments.of("70 KiB body", "/invoices", "{" + valid + ",\"quantity\":1,\"pad\":\"" + "a".repeat(70 * 1024) + "\"}", "application/json", null, 413),
      Arguments.of("text/plain body", "/invoices", "{" + valid + ",\"quantity\":1}", "text/plain", null, 415),
      Arguments.of("bad Idempotency-Key", "/invoices", "{" + valid + ",\"quantity\":1}", "application/json", "has spaces", 400),
      Arguments.of("65-character Idempotency-Key", "/invoices", "{" + valid + ",\"quantity\":1}", "application/json", "k".repeat(65), 400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refusesBadInputWithAProblemAndStoresNothing(String label, String path, String body, String contentType, String key, int status) {
    int before = all("").size();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType);
    if (key != null) {
      headers.add(Idempotency.KEY_HEADER, key);
    }
    HttpResponse<Buffer> response = invoices.send(HttpMethod.POST, path, body, headers);
    assertProblem(response, status);
    assertEquals(before, all("").size(), "nothing stored");
  }

  @Test
  void badPathsAndQueriesAreProblems() {
    assertEquals(404, invoices.get("/invoices/abc*").statusCode());
    assertEquals(404, invoices.get("/invoices/..%2F..%2Fetc").statusCode());
    assertEquals(404, invoices.get("/invoices/" + "a".repeat(65)).statusCode());
    assertEquals(404, invoices.get("/invoices/" + "a".repeat(64)).statusCode());
    assertEquals(400, invoices.get("/invoices?customerId=a*b").statusCode());
    assertEquals(400, invoices.get("/invoices?limit=0").statusCode());
    assertEquals(400, invoices.get("/invoices?cursor=forged").statusCode());
    HttpResponse<Buffer> fieldErrors = invoices.post("/invoices", new JsonObject().put("customerId", "").put("quantity", 0).put("x", 1));
    assertEquals(List.of("customerId", "productId", "quantity", "x"), fields(fieldErrors));
  }

  @Test
  void readyWhileItsRedisAnswersWhateverItsDependenciesDo() {
    HttpResponse<Buffer> ready = management.get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertNotEquals(-1, ready.bodyAsString().indexOf("redis"));
  }
}
