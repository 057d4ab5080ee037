package io.swarmshop.system;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.Fixtures;
import io.swarmshop.testing.Http;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API contract end to end through the gateway, with every service running for real. */
@ExtendWith(VertxExtension.class)
class GatewayEndToEndTest {
  private static LocalSystem system;
  private static Http http;
  private static Http management;

  @BeforeAll
  static void start(Vertx vertx) {
    system = new LocalSystem();
    http = system.gateway(vertx);
    management = new Http(vertx, system.gatewayManagementPort());
  }

  @AfterAll
  static void stop() {
    List<String> contractProblems = system == null ? List.of() : system.contractProblems();
    if (system != null) {
      system.close();
    }
    assertEquals(List.of(), contractProblems, "every answer through the gateway is one the contract allows");
  }

  private static JsonObject created(HttpResponse<Buffer> response) {
    return Fixtures.created(response);
  }

  @Test
  void theWholeFlowOfTheContract() {
    JsonObject ada = created(http.post("/api/customers", new JsonObject().put("name", "Ada Lovelace").put("address", "London")));
    JsonObject pen = created(http.post("/api/products", new JsonObject().put("name", "Fountain pen").put("price", new BigDecimal("12.35"))));
    assertEquals(ada, http.get("/api/customers/" + ada.getString("id")).bodyAsJsonObject());

    HttpResponse<Buffer> issued = http.post("/api/invoices", new JsonObject()
      .put("customerId", ada.getString("id")).put("productId", pen.getString("id")).put("quantity", 3));
    JsonObject invoice = created(issued);
    assertEquals("/invoices/" + invoice.getString("id"), issued.getHeader("Location"));
    assertTrue(issued.bodyAsString().contains("\"total\":37.05"), issued.bodyAsString());
    assertEquals("Ada Lovelace", invoice.getString("customerName"));
    assertEquals(invoice, http.get("/api/invoices/" + invoice.getString("id")).bodyAsJsonObject());
    JsonArray forAda = http.get("/api/invoices?customerId=" + ada.getString("id")).bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, forAda.size());

    JsonObject renamed = http.put("/api/customers/" + ada.getString("id"), new JsonObject().put("name", "Ada King")).bodyAsJsonObject();
    assertEquals("Ada King", renamed.getString("name"));
    assertEquals(204, http.delete("/api/products/" + pen.getString("id")).statusCode());
    HttpResponse<Buffer> onDeleted = http.post("/api/invoices", new JsonObject()
      .put("customerId", ada.getString("id")).put("productId", pen.getString("id")).put("quantity", 1));
    assertEquals(422, onDeleted.statusCode());
    assertEquals("productId", onDeleted.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(404, http.get("/api/products/" + pen.getString("id")).statusCode());
    assertEquals(400, http.post("/api/customers", new JsonObject().put("name", "")).statusCode());
    assertEquals(405, http.delete("/api/invoices/" + invoice.getString("id")).statusCode());
  }

  @Test
  void keepsTheServicesHeadersAndSetsTheForwardingOnes() {
    HttpResponse<Buffer> response = http.send(HttpMethod.GET, "/api/customers?limit=1", null,
      MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "from-the-browser-1"));
    assertEquals(200, response.statusCode());
    assertEquals("from-the-browser-1", response.getHeader("X-Request-Id"));
    assertTrue(response.getHeader("X-Served-By").matches("customers@customers-a on node-1|customers@customers-b on node-2"), response.getHeader("X-Served-By"));
    assertEquals("application/json", response.getHeader("Content-Type"));
    // Without a Zipkin, trace ids are still made, and the services' own travels back through the gateway.
    assertTrue(response.getHeader("X-Trace-Id").matches("[0-9a-f]{32}"), response.getHeader("X-Trace-Id"));

    HttpResponse<Buffer> generated = http.get("/api/products");
    assertTrue(generated.getHeader("X-Request-Id").matches("[A-Za-z0-9._-]{1,64}"));
    assertEquals("products@products-test on node-1", generated.getHeader("X-Served-By"));
  }

  @Test
  void relaysSmallAnswersWholeAndStreamsLargeOnesIntact() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      names.add("Relay product " + i + " " + "x".repeat(180));
      created(http.post("/api/products", new JsonObject().put("name", names.get(i)).put("price", i + 1)));
    }
    HttpResponse<Buffer> one = http.get("/api/products?limit=1");
    assertEquals(String.valueOf(one.body().length()), one.getHeader("Content-Length"));
    assertEquals(1, one.bodyAsJsonObject().getJsonArray("items").size());

    HttpResponse<Buffer> large = http.get("/api/products?limit=500");
    assertEquals(200, large.statusCode());
    assertTrue(large.body().length() > 8 * 1024, "larger than what the gateway relays whole: " + large.body().length());
    assertEquals(String.valueOf(large.body().length()), large.getHeader("Content-Length"));
    List<String> relayed = large.bodyAsJsonObject().getJsonArray("items").stream()
      .map(item -> ((JsonObject) item).getString("name")).filter(names::contains).toList();
    assertEquals(60, relayed.size(), "every product of the page came through");
  }

  @Test
  void answersItsOwnProblemsForWhatItRefuses() {
    HttpResponse<Buffer> tooLarge = http.send(HttpMethod.POST, "/api/customers",
      new JsonObject().put("name", "a".repeat(70 * 1024)).encode(), MultiMap.caseInsensitiveMultiMap());
    assertEquals(413, tooLarge.statusCode());
    assertEquals("application/problem+json", tooLarge.getHeader("Content-Type"));
    HttpResponse<Buffer> unknown = http.get("/api/nothing");
    assertEquals(404, unknown.statusCode());
    assertEquals("application/problem+json", unknown.getHeader("Content-Type"));
    assertTrue(unknown.getHeader("X-Served-By").startsWith("gateway@"));
    assertTrue(unknown.getHeader("X-Trace-Id").matches("[0-9a-f]{32}"), "the gateway's own answers name their trace too");
  }

  @Test
  void servesTheContractAsWrittenAndAsJsonEachWithAnETagThatAnswers304() throws Exception {
    String written = Files.readString(Path.of("..", "docs", "openapi.yaml"));
    HttpResponse<Buffer> yaml = http.get("/api/openapi.yaml");
    assertEquals(200, yaml.statusCode());
    assertTrue(yaml.getHeader("Content-Type").startsWith("application/yaml"), yaml.getHeader("Content-Type"));
    assertEquals(written, yaml.bodyAsString());

    HttpResponse<Buffer> json = http.get("/api/openapi.json");
    assertEquals(200, json.statusCode());
    assertEquals("application/json", json.getHeader("Content-Type"));
    assertTrue(json.getHeader("Cache-Control").contains("max-age="), json.getHeader("Cache-Control"));
    assertEquals(ContractCheck.CONTRACT.document(), json.bodyAsJsonObject(), "the JSON form is the document as written");
    assertEquals("3.1.0", json.bodyAsJsonObject().getString("openapi"));

    String etag = json.getHeader("ETag");
    assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
    assertFalse(etag.equals(yaml.getHeader("ETag")), "each form has its own tag");
    HttpResponse<Buffer> again = http.send(HttpMethod.GET, "/api/openapi.json", null,
      MultiMap.caseInsensitiveMultiMap().add("If-None-Match", "\"other\", " + etag));
    assertEquals(304, again.statusCode());
    assertEquals(0, again.body() == null ? 0 : again.body().length());
    assertEquals(etag, again.getHeader("ETag"));
    assertEquals(200, http.send(HttpMethod.GET, "/api/openapi.json", null,
      MultiMap.caseInsensitiveMultiMap().add("If-None-Match", yaml.getHeader("ETag"))).statusCode());
  }

  @Test
  void servesTheWebappWithItsSecurityAndCacheHeaders() {
    HttpResponse<Buffer> page = http.get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("<script type=\"module\" src=\"/assets/app.js\"></script>"));
    assertFalse(page.bodyAsString().matches("(?s).*<script>.*"), "no inline script");
    assertEquals("no-cache", page.getHeader("Cache-Control"));
    assertTrue(page.getHeader("Content-Security-Policy").contains("script-src 'self'"));
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    assertTrue(page.getHeader("X-Served-By").startsWith("webapp@"));

    HttpResponse<Buffer> script = http.get("/assets/app.js");
    assertEquals(200, script.statusCode());
    assertTrue(script.getHeader("Content-Type").startsWith("text/javascript") || script.getHeader("Content-Type").startsWith("application/javascript"));
    assertTrue(script.getHeader("Cache-Control").contains("max-age=300"), script.getHeader("Cache-Control"));
    assertNotNull(script.getHeader("ETag") != null ? script.getHeader("ETag") : script.getHeader("Last-Modified"));
    assertEquals(404, http.get("/assets/nothing.js").statusCode());
  }

  @Test
  void statusListsEveryServiceWithItsInstancesHealthCircuitAndNode() {
    http.get("/api/customers");
    // Instances no request went to yet are asked who they are, within the gateway's two-second refresh.
    eventually(Duration.ofSeconds(10), "every instance's node to be known", () -> {
      JsonObject services = http.get("/api/status").bodyAsJsonObject().getJsonObject("services");
      return services.stream().flatMap(service -> ((JsonObject) service.getValue()).getJsonArray("instances").stream())
        .allMatch(instance -> ((JsonObject) instance).getString("node") != null);
    });
    JsonObject status = http.get("/api/status").bodyAsJsonObject();
    for (String service : List.of("customers", "products", "invoices", "webapp")) {
      JsonArray instances = status.getJsonObject("services").getJsonObject(service).getJsonArray("instances");
      assertFalse(instances.isEmpty(), service);
      JsonObject instance = instances.getJsonObject(0);
      assertNotNull(instance.getString("id"));
      assertTrue(instance.getString("url").startsWith("http://127.0.0.1:"));
      assertTrue(instance.getBoolean("healthy"));
      assertEquals("CLOSED", instance.getString("circuit"));
    }
    JsonArray customers = status.getJsonObject("services").getJsonObject("customers").getJsonArray("instances");
    assertEquals(2, customers.size());
    assertEquals(Set.of("node-1", "node-2"), customers.stream().map(instance -> ((JsonObject) instance).getString("node")).collect(Collectors.toSet()));
    JsonObject first = instance(system.customersUrl(0));
    assertEquals("customers@customers-a on node-1", first.getString("servedBy"));
    assertEquals("node-1", status.getString("node"));
    assertTrue(status.getString("gateway").matches("gateway@.+ on node-1"), status.getString("gateway"));
    assertFalse(status.containsKey("alerts"), "no Alertmanager, no alerts");
    assertFalse(status.getJsonArray("recent").isEmpty());
  }

  @Test
  void aKilledInstanceIsEjectedWhileTheGatewayKeepsAnsweringAndUsedAgainOnceBack() {
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      servedBy.add(http.get("/api/customers").getHeader("X-Served-By"));
    }
    assertEquals(Set.of("customers@customers-a on node-1", "customers@customers-b on node-2"), servedBy, "spread over both replicas");

    system.killCustomers(0);
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> response = http.get("/api/customers");
      assertEquals(200, response.statusCode(), "request " + i + " while customers-a is dead: " + response.bodyAsString());
      assertEquals("customers@customers-b on node-2", response.getHeader("X-Served-By"));
      HttpResponse<Buffer> create = http.post("/api/customers", new JsonObject().put("name", "During outage " + i));
      assertEquals(201, create.statusCode(), "a POST that never reached the dead instance is sent to the live one");
    }
    assertEquals(false, instance(system.customersUrl(0)).getBoolean("healthy"), "the dead instance shows unhealthy");
    assertEquals("OPEN", instance(system.customersUrl(0)).getString("circuit"));
    assertEquals(true, instance(system.customersUrl(1)).getBoolean("healthy"));

    String deadInstance = "address=\"" + system.customersUrl(0).substring("http://".length()) + "\"";
    assertTrue(gatewayMetrics().lines().anyMatch(line -> line.startsWith("swarmshop_circuit_state{" + deadInstance + ",dependency=\"customers\",")
      && line.endsWith(" 2.0")), "the gateway's /metrics shows the dead instance's circuit open");

    system.startCustomers(0);
    eventually(Duration.ofSeconds(10), "the restarted instance is probed and let back in",
      () -> instance(system.customersUrl(0)).getBoolean("healthy"));
    assertEquals("CLOSED", instance(system.customersUrl(0)).getString("circuit"), "probed and let back in");
    servedBy.clear();
    for (int i = 0; i < 10; i++) {
      servedBy.add(http.get("/api/customers").getHeader("X-Served-By"));
    }
    assertTrue(servedBy.contains("customers@customers-a on node-1"), "used again once restarted: " + servedBy);
  }

  @Test
  void everyMetricReadmeNamesIsInTheGatewaysMetrics() throws Exception {
    http.get("/api/customers?limit=1");
    Set<String> named = new java.util.TreeSet<>();
    java.util.regex.Matcher ticked = java.util.regex.Pattern.compile("`((swarmshop|vertx)_[a-z_]+)`")
      .matcher(Files.readString(Path.of("..", "README.md")));
    while (ticked.find()) {
      named.add(ticked.group(1));
    }
    assertTrue(named.contains("vertx_http_server_requests_total"), "README names the request counts: " + named);
    Set<String> exposed = new HashSet<>(gatewayMetrics().lines().filter(line -> !line.startsWith("#"))
      .map(line -> line.split("[{ ]", 2)[0]).toList());
    for (String name : named) {
      assertTrue(exposed.contains(name), name + " is in the gateway's /metrics");
    }
  }

  private static String gatewayMetrics() {
    return management.get("/metrics").bodyAsString();
  }

  private static JsonObject instance(String url) {
    JsonArray instances = http.get("/api/status").bodyAsJsonObject().getJsonObject("services").getJsonObject("customers").getJsonArray("instances");
    return instances.stream().map(JsonObject.class::cast).filter(i -> i.getString("url").equals(url)).findFirst().orElseThrow();
  }
}
