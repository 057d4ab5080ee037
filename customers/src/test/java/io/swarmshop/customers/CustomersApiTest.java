package io.swarmshop.customers;

import static io.swarmshop.testing.Eventually.eventually;
import static io.swarmshop.testing.ProblemAnswers.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.LogLines;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The customers service over real HTTP against a real Redis; also covers the CRUD code products shares. */
@ExtendWith(VertxExtension.class)
class CustomersApiTest {
  private static final Started started = new Started();
  private static Http http;
  private static Http management;

  @BeforeAll
  static void start(Vertx vertx) {
    RunningService service = started.serviceWithRedis("customers", Main::application, Map.of("REDIS_TIMEOUT_MS", "500"));
    http = new Http(vertx, service.httpPort());
    management = new Http(vertx, service.managementPort());
  }

  @AfterAll
  static void stop() {
    started.close();
  }

  private static JsonObject create(String name, String address) {
    HttpResponse<Buffer> response = http.post("/customers", new JsonObject().put("name", name).put("address", address));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> all() {
    return http.all("/customers", "");
  }

  @Test
  void createsReadsReplacesAndDeletesACustomer() {
    HttpResponse<Buffer> created = http.post("/customers", new JsonObject().put("name", "Ada Lovelace").put("address", "12 St James's Square, London"));
    assertEquals(201, created.statusCode());
    JsonObject customer = created.bodyAsJsonObject();
    String id = customer.getString("id");
    assertEquals("/customers/" + id, created.getHeader("Location"));
    assertEquals("Ada Lovelace", customer.getString("name"));
    assertEquals("12 St James's Square, London", customer.getString("address"));
    assertTrue(customer.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), customer.getString("createdAt"));
    assertEquals(customer.getString("createdAt"), customer.getString("updatedAt"));
    assertEquals(Set.of("id", "name", "address", "createdAt", "updatedAt"), customer.fieldNames());
    assertEquals("customers@customers-test", created.getHeader("X-Served-By"));

    assertEquals(customer, http.get("/customers/" + id).bodyAsJsonObject());

    HttpResponse<Buffer> replaced = http.put("/customers/" + id, new JsonObject().put("name", "Augusta Ada King").put("address", ""));
    assertEquals(200, replaced.statusCode());
    assertEquals("Augusta Ada King", replaced.bodyAsJsonObject().getString("name"));
    assertEquals("", replaced.bodyAsJsonObject().getString("address"));
    assertEquals(customer.getString("createdAt"), replaced.bodyAsJsonObject().getString("createdAt"));
    assertEquals(replaced.bodyAsJsonObject(), http.get("/customers/" + id).bodyAsJsonObject());

    assertEquals(204, http.delete("/customers/" + id).statusCode());
    assertEquals(404, http.get("/customers/" + id).statusCode());
    assertEquals(404, http.delete("/customers/" + id).statusCode());
    assertEquals(404, http.put("/customers/" + id, new JsonObject().put("name", "x")).statusCode());
    assertFalse(all().stream().anyMatch(c -> c.getString("id").equals(id)), "a deleted customer leaves the list too");
  }

  @Test
  void addressIsOptional() {
    HttpResponse<Buffer> created = http.post("/customers", new JsonObject().put("name", "No Address"));
    assertEquals(201, created.statusCode());
    assertEquals("", created.bodyAsJsonObject().getString("address"));
  }

  @Test
  void pagesAreNewestFirstAndFollowTheCursor() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(create("Paged " + i, "").getString("id"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = http.get("/customers?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
      JsonArray items = page.getJsonArray("items");
      assertTrue(items.size() <= 3);
      items.forEach(item -> seen.add(((JsonObject) item).getString("id")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen.subList(0, 7), "the 7 newest, newest first");
    assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no customer twice across pages");
    assertTrue(pages >= 3);
    JsonObject firstPage = http.get("/customers").bodyAsJsonObject();
    assertTrue(firstPage.containsKey("nextCursor"));
  }

  @Test
  void echoesAWellFormedRequestIdAndReplacesABadOne() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "trace-42.a_b");
    assertEquals("trace-42.a_b", http.send(HttpMethod.GET, "/customers", null, headers).getHeader("X-Request-Id"));
    MultiMap bad = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "no spaces allowed");
    String generated = http.send(HttpMethod.GET, "/customers", null, bad).getHeader("X-Request-Id");
    assertNotNull(generated);
    assertNotEquals("no spaces allowed", generated);
    assertTrue(generated.matches("[A-Za-z0-9._-]{1,64}"));
  }

  @Test
  void writesOneAccessLineCarryingTheRequestId() {
    try (LogLines log = LogLines.of("access")) {
      List<String> lines = log.lines();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "access-line-1");
      assertEquals(200, http.send(HttpMethod.GET, "/customers?limit=1", null, headers).statusCode());
      eventually(Duration.ofSeconds(5), "the access line is written once the answer has gone",
        () -> lines.stream().anyMatch(line -> line.contains("rid=access-line-1")));
      List<String> ours = lines.stream().filter(line -> line.contains("rid=access-line-1")).toList();
      assertEquals(1, ours.size(), lines.toString());
      assertTrue(ours.get(0).startsWith("GET /customers?limit=1 200 "), ours.get(0));
    }
  }

  /** One of each class of bad request over HTTP; JsonBodyTest and PageRequestTest hold every case of the bodies and queries. */
  static Stream<Arguments> badRequests() {
    return Stream.of(
      Arguments.of("malformed JSON", "POST", "/customers", "{\"name\": ", "application/json", 400),
      Arguments.of("missing name", "POST", "/customers", "{\"address\":\"x\"}", "application/json", 400),
      Arguments.of("extra field", "POST", "/customers", "{\"name\":\"a\",\"admin\":true}", "application/json", 400),
      Arguments.of("70 KiB body", "POST", "/customers", "{\"name\":\"a\",\"address\":\"" + "a".repeat(70 * 1024) + "\"}", "application/json", 413),
      Arguments.of("text/plain body", "POST", "/customers", "{\"name\":\"a\"}", "text/plain", 415),
      Arguments.of("limit 0", "GET", "/customers?limit=0", null, "application/json", 400),
      Arguments.of("forged cursor", "GET", "/customers?cursor=bm90LWEtY3Vyc29y", null, "application/json", 400),
      Arguments.of("id with *", "GET", "/customers/abc*", null, "application/json", 404),
      Arguments.of("id with ../", "GET", "/customers/..%2F..%2Fetc", null, "application/json", 404),
      Arguments.of("PUT with 65-character id", "PUT", "/customers/" + "a".repeat(65), "{\"name\":\"a\"}", "application/json", 404),
      Arguments.of("DELETE with id with *", "DELETE", "/customers/a*b", null, "application/json", 404),
      Arguments.of("unknown path", "GET", "/nothing-here", null, "application/json", 404),
      Arguments.of("PATCH is not allowed", "PATCH", "/customers", "{}", "application/json", 405));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refusesBadInputWithAProblemAndStoresNothing(String label, String method, String path, String body, String contentType, int status) {
    int before = all().size();
    HttpResponse<Buffer> response = http.send(HttpMethod.valueOf(method), path, body,
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType));
    assertProblem(response, status);
    assertEquals(before, all().size(), "nothing stored");
  }

  @Test
  void namesEachInvalidField() {
    HttpResponse<Buffer> response = http.post("/customers", new JsonObject().put("name", "").put("address", 7).put("extra", 1));
    assertEquals(400, response.statusCode());
    JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
    List<String> fields = errors.stream().map(e -> ((JsonObject) e).getString("field")).sorted().toList();
    assertEquals(List.of("address", "extra", "name"), fields);
  }

  @Test
  void aFailedReplaceChangesNothing() {
    JsonObject customer = create("Stays", "Same");
    HttpResponse<Buffer> response = http.put("/customers/" + customer.getString("id"), new JsonObject().put("name", "").put("address", "Other"));
    assertEquals(400, response.statusCode());
    assertEquals(customer, http.get("/customers/" + customer.getString("id")).bodyAsJsonObject());
  }

  @Test
  void managementPortAnswersHealthAndMetrics() {
    assertEquals(200, management.get("/health/live").statusCode());
    HttpResponse<Buffer> ready = management.get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    http.get("/customers");
    String metrics = management.get("/metrics").bodyAsString();
    assertTrue(metrics.contains("vertx_http_server_requests_total"), "HTTP server figures");
    assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM figures");
    assertEquals(404, http.get("/health/ready").statusCode(), "management paths are not on the API port");
  }
}
