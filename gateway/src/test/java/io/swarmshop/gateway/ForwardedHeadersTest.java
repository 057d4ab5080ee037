package io.swarmshop.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the gateway passes on and what it keeps to itself, in both directions, seen by a real HTTP
 * server standing in for every upstream that answers with the headers it received.
 */
@ExtendWith(VertxExtension.class)
class ForwardedHeadersTest {
  private static final Started started = new Started();
  private static HttpServer upstream;
  private static Http http;
  private static Http management;

  @BeforeAll
  static void start(Vertx vertx) {
    upstream = Http.await(vertx.createHttpServer()
      .requestHandler(request -> {
        if (request.path().endsWith("/truncated")) {
          // Announces 100 bytes, sends 10 and hangs up.
          request.response().putHeader("Content-Length", "100").write("{\"partial\"")
            .onComplete(written -> request.connection().close());
          return;
        }
        JsonObject received = new JsonObject().put("path", request.path());
        request.headers().forEach(header -> received.put(header.getKey().toLowerCase(), header.getValue()));
        request.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("X-Upstream-Note", "kept")
          .putHeader("Keep-Alive", "timeout=5")
          .putHeader("Proxy-Authenticate", "Basic realm=\"upstream\"")
          .end(received.encode());
      })
      .listen(0, "127.0.0.1"));
    String url = "http://127.0.0.1:" + upstream.actualPort();
    RunningService gateway = started.service("gateway", Main::application, Map.of(
      "CUSTOMERS_URLS", url, "PRODUCTS_URLS", url, "INVOICES_URLS", url, "WEBAPP_URLS", url));
    http = new Http(vertx, gateway.httpPort());
    management = new Http(vertx, gateway.managementPort());
  }

  @AfterAll
  static void stop() {
    started.close();
    if (upstream != null) {
      Http.await(upstream.close());
    }
  }

  @Test
  void passesTheCallersHeadersAddsTheForwardingOnesAndDropsHopByHopOnes() {
    HttpResponse<Buffer> response = http.send(HttpMethod.GET, "/api/customers/c-1?x=1", null, MultiMap.caseInsensitiveMultiMap()
      .add("X-Request-Id", "trace-7")
      .add("X-Forwarded-For", "203.0.113.9")
      .add("X-Caller-Note", "kept")
      .add("Keep-Alive", "timeout=30")
      .add("Proxy-Authorization", "Basic c2VjcmV0")
      .add("TE", "trailers"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject received = response.bodyAsJsonObject();

    assertEquals("/customers/c-1", received.getString("path"));
    assertEquals("kept", received.getString("x-caller-note"));
    assertEquals("trace-7", received.getString("x-request-id"));
    assertEquals("203.0.113.9, 127.0.0.1", received.getString("x-forwarded-for"));
    assertEquals("http", received.getString("x-forwarded-proto"));
    assertEquals("127.0.0.1:" + http.port(), received.getString("x-forwarded-host"));
    assertEquals("127.0.0.1:" + upstream.actualPort(), received.getString("host"), "the upstream is addressed as itself");
    for (String hopByHop : new String[] {"keep-alive", "proxy-authorization", "te"}) {
      assertFalse(received.containsKey(hopByHop), hopByHop + " must not be passed on: " + received);
    }

    assertEquals("kept", response.getHeader("X-Upstream-Note"));
    assertEquals("trace-7", response.getHeader("X-Request-Id"));
    assertNull(response.getHeader("Keep-Alive"));
    assertNull(response.getHeader("Proxy-Authenticate"));
  }

  @Test
  void givesACallWithoutARequestIdItsOwnAndPassesItOn() {
    HttpResponse<Buffer> response = http.get("/api/products");
    assertEquals(200, response.statusCode());
    String id = response.getHeader("X-Request-Id");
    assertTrue(id != null && id.matches("[A-Za-z0-9._-]{1,64}"), String.valueOf(id));
    assertEquals(id, response.bodyAsJsonObject().getString("x-request-id"));
    assertEquals("127.0.0.1", response.bodyAsJsonObject().getString("x-forwarded-for"));
  }

  @Test
  void anAnswerCutOffMidBodyBecomesABadGatewayAnswer() {
    HttpResponse<Buffer> response = http.get("/api/customers/truncated");
    assertEquals(502, response.statusCode(), response.bodyAsString());
    assertEquals("application/problem+json", response.getHeader("Content-Type"));
    assertEquals(502, response.bodyAsJsonObject().getInteger("status"));
  }

  @Test
  void countsTheCallsItServesAndLeavesItsForwardedCallsToTheServicesThatAnswerThem() {
    assertEquals(200, http.get("/api/invoices").statusCode());
    String metrics = management.get("/metrics").bodyAsString();
    assertTrue(metrics.contains("vertx_http_server_requests_total"), "the calls it serves");
    assertFalse(metrics.contains("vertx_http_client_requests_total"), "its forwarded calls are counted upstream");
  }

  @Test
  void countsEachAnswerOnceByMethodAndStatus() {
    String answered = "{code=\"404\",method=\"GET\",service=\"gateway\"}";
    Map<String, Double> before = figures(answered);
    assertEquals(404, http.get("/api/nowhere").statusCode());
    assertEquals(404, http.get("/api/nowhere/else").statusCode());
    Map<String, Double> after = figures(answered);
    for (String name : new String[] {"vertx_http_server_requests_total", "vertx_http_server_response_time_seconds_count",
        "vertx_http_server_response_bytes_count"}) {
      assertEquals(before.getOrDefault(name, 0.0) + 2, after.get(name), name + answered);
    }
    assertTrue(after.get("vertx_http_server_response_bytes_sum") > before.getOrDefault("vertx_http_server_response_bytes_sum", 0.0));
    assertEquals(200, http.post("/api/customers", new JsonObject().put("name", "Counted")).statusCode());
    assertEquals(0.0, figures("{method=\"POST\",service=\"gateway\"}").get("vertx_http_server_active_requests"),
      "a request with a body is active until both it and its answer have ended, then no more");
  }

  /** The figures /metrics gives for exactly these labels, by name. */
  private static Map<String, Double> figures(String labels) {
    Map<String, Double> figures = new HashMap<>();
    for (String line : management.get("/metrics").bodyAsString().split("\n")) {
      int at = line.indexOf(labels + " ");
      if (!line.startsWith("#") && at > 0) {
        figures.put(line.substring(0, at), Double.parseDouble(line.substring(at + labels.length() + 1)));
      }
    }
    return figures;
  }
}
