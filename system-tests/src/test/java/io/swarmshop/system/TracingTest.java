package io.swarmshop.system;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Traces across every hop, exported by every service to a real Zipkin. */
@ExtendWith(VertxExtension.class)
class TracingTest {
  private static final Set<String> SERVICES = Set.of("gateway", "invoices", "customers", "products");
  private static ZipkinServer zipkin;
  private static LocalSystem system;
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    zipkin = new ZipkinServer();
    system = new LocalSystem(Map.of("ZIPKIN_URL", zipkin.url(), "TRACE_SAMPLING", "1"));
    http = system.gateway(vertx);
  }

  @AfterAll
  static void stop() {
    try {
      if (system != null) {
        system.close();
      }
    } finally {
      if (zipkin != null) {
        zipkin.close();
      }
    }
  }

  @Test
  void anInvoiceIsOneTraceAcrossTheGatewayInvoicesCustomersAndProductsWithItsRedisCommands() {
    String customer = Fixtures.created(http.post("/api/customers", new JsonObject().put("name", "Ada").put("address", "London"))).getString("id");
    String product = Fixtures.created(http.post("/api/products", new JsonObject().put("name", "Pen").put("price", 2.5))).getString("id");
    HttpResponse<Buffer> issued = http.post("/api/invoices", new JsonObject().put("customerId", customer).put("productId", product).put("quantity", 2));
    assertEquals(201, issued.statusCode(), issued.bodyAsString());
    String traceId = issued.getHeader("X-Trace-Id");
    assertNotNull(traceId, "the gateway's answer names its trace");
    assertTrue(traceId.matches("[0-9a-f]{32}"), traceId);

    JsonArray spans = eventually(Duration.ofSeconds(30), "Zipkin to hold spans of " + SERVICES + " in trace " + traceId,
      () -> trace(traceId), found -> servicesOf(found).containsAll(SERVICES) && redisServicesOf(found).containsAll(Set.of("invoices", "customers", "products")));

    for (Object each : spans) {
      JsonObject span = (JsonObject) each;
      assertEquals(traceId, span.getString("traceId"), span.encode());
    }
    // Each hop is a child of the one before: invoices' server span has the gateway's client span as parent.
    JsonObject invoicesServer = only(spans, "invoices", "SERVER");
    JsonObject parent = byId(spans, invoicesServer.getString("parentId"));
    assertEquals("gateway", parent.getJsonObject("localEndpoint").getString("serviceName"), parent.encode());
    assertEquals("CLIENT", parent.getString("kind"), parent.encode());
    for (String checked : Set.of("customers", "products")) {
      JsonObject server = only(spans, checked, "SERVER");
      JsonObject caller = byId(spans, server.getString("parentId"));
      assertEquals("invoices", caller.getJsonObject("localEndpoint").getString("serviceName"), caller.encode());
    }
  }

  @Test
  void aCallerThatSendsATraceparentGetsItsTraceContinued() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<Buffer> answer = http.send(HttpMethod.GET, "/api/customers?limit=1", null,
      MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(traceId, answer.getHeader("X-Trace-Id"));
    JsonArray spans = eventually(Duration.ofSeconds(30), "Zipkin to hold the gateway's and the customers' spans of trace " + traceId,
      () -> trace(traceId), found -> servicesOf(found).containsAll(Set.of("gateway", "customers")));
    assertEquals("00f067aa0ba902b7", only(spans, "gateway", "SERVER").getString("parentId"));
  }

  @Test
  void aTraceTheCallerDidNotSampleKeepsItsIdOnEveryHopAndRecordsNothing() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    HttpResponse<Buffer> answer = http.send(HttpMethod.GET, "/api/customers?limit=1", null,
      MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-" + traceId + "-b7ad6b7169203331-00"));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    // The header comes from customers, through the gateway: the id went the whole way.
    assertEquals(traceId, answer.getHeader("X-Trace-Id"));
    assertTrue(answer.getHeader("X-Served-By").startsWith("customers@"), answer.getHeader("X-Served-By"));
    // A sampled request sent after it is in Zipkin: by then this one would be too, had anything recorded it.
    String sampled = "5b8efff798038103d269b633813fc60c";
    http.send(HttpMethod.GET, "/api/customers?limit=1", null,
      MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-" + sampled + "-00f067aa0ba902b7-01"));
    eventually(Duration.ofSeconds(30), "the sampled trace in Zipkin", () -> trace(sampled),
      found -> servicesOf(found).containsAll(Set.of("gateway", "customers")));
    assertEquals(new JsonArray(), trace(traceId));
  }

  private static JsonArray trace(String traceId) {
    String body = zipkin.get("/api/v2/trace/" + traceId);
    return body == null ? new JsonArray() : new JsonArray(body);
  }

  private static Set<String> servicesOf(JsonArray spans) {
    return spans.stream().map(span -> ((JsonObject) span).getJsonObject("localEndpoint").getString("serviceName"))
      .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The services that sent Redis commands as spans of the trace. */
  private static Set<String> redisServicesOf(JsonArray spans) {
    return spans.stream().map(JsonObject.class::cast)
      .filter(span -> "redis".equals(span.getJsonObject("tags", new JsonObject()).getString("db.system")))
      .map(span -> span.getJsonObject("localEndpoint").getString("serviceName"))
      .collect(Collectors.toCollection(TreeSet::new));
  }

  private static JsonObject only(JsonArray spans, String service, String kind) {
    var matching = spans.stream().map(JsonObject.class::cast)
      .filter(span -> service.equals(span.getJsonObject("localEndpoint").getString("serviceName")) && kind.equals(span.getString("kind")))
      .toList();
    assertEquals(1, matching.size(), "one " + kind + " span of " + service + " in " + spans.encodePrettily());
    return matching.get(0);
  }

  private static JsonObject byId(JsonArray spans, String id) {
    return spans.stream().map(JsonObject.class::cast).filter(span -> span.getString("id").equals(id)).findFirst()
      .orElseThrow(() -> new AssertionError("no span " + id + " in " + spans.encodePrettily()));
  }
}
