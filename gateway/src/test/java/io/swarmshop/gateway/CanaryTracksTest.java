package io.swarmshop.gateway;

import static io.swarmshop.testing.Eventually.eventually;
import static io.swarmshop.testing.ProblemAnswers.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.FreePorts;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's canary track, against real upstream servers (two stable instances, one canary) that
 * say who they are: the share the canary gets, {@code X-Canary}, a canary that is down, a canary that
 * errs, and what {@code /api/status} and {@code /metrics} say of each track.
 */
@ExtendWith(VertxExtension.class)
class CanaryTracksTest {
  private final Started started = new Started();
  private final List<HttpServer> upstreams = new ArrayList<>();
  private Vertx vertx;
  private String stableUrls;
  private RunningService gateway;

  @BeforeEach
  void startStable(Vertx vertx) {
    this.vertx = vertx;
    stableUrls = upstream("stable-1", 200) + "," + upstream("stable-2", 200);
  }

  @AfterEach
  void stop() {
    started.close();
    upstreams.forEach(server -> Http.await(server.close()));
  }

  /** An upstream instance that answers every request with {@code status} and its name. */
  private String upstream(String name, int status) {
    HttpServer server = Http.await(vertx.createHttpServer()
      .requestHandler(request -> request.body().onSuccess(body -> request.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json").end(new JsonObject().put("by", name).encode())))
      .listen(0, "127.0.0.1"));
    upstreams.add(server);
    return "http://127.0.0.1:" + server.actualPort();
  }

  private Http gateway(String canaryUrls, int percent) {
    return gateway(canaryUrls, percent, Map.of());
  }

  private Http gateway(String canaryUrls, int percent, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.putAll(Map.of("CUSTOMERS_URLS", stableUrls, "CUSTOMERS_CANARY_URLS", canaryUrls, "CUSTOMERS_CANARY_PERCENT", String.valueOf(percent)));
    gateway = started.service("gateway", Main::application, settings);
    return new Http(vertx, gateway.httpPort());
  }

  /** How many of {@code requests} GETs each instance answered, by name. */
  private static Map<String, Integer> answeredBy(Http gateway, int requests, MultiMap headers) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<Buffer> answer = gateway.send(HttpMethod.GET, "/api/customers/c-" + i, null, headers);
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      String by = answer.bodyAsJsonObject().getString("by");
      assertEquals(by.startsWith("canary") ? "canary" : null, answer.getHeader("X-Track"), "X-Track of " + by);
      counts.merge(by, 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void theCanaryGetsItsShareWhateverTheNumberOfInstancesOfEachTrack() {
    Http gateway = gateway(upstream("canary-1", 200), 10);
    Map<String, Integer> counts = answeredBy(gateway, 1000, MultiMap.caseInsensitiveMultiMap());
    // The share is counted, not drawn: exactly a tenth, and stable's two instances halve the rest.
    assertEquals(100, counts.get("canary-1"), counts.toString());
    assertEquals(450, counts.get("stable-1"), counts.toString());
    assertEquals(450, counts.get("stable-2"), counts.toString());

    JsonObject services = gateway.get("/api/status").bodyAsJsonObject().getJsonObject("services");
    assertEquals(90, services.getJsonObject("customers").getInteger("weight"));
    assertEquals("stable", services.getJsonObject("customers").getString("track"));
    JsonObject canary = services.getJsonObject("customers-canary");
    assertEquals("canary", canary.getString("track"));
    assertEquals("customers", canary.getString("of"));
    assertEquals(10, canary.getInteger("weight"));
    assertEquals(1, canary.getJsonArray("instances").size());
    assertNull(services.getJsonObject("products-canary"), "a service without a canary shows no canary track");
  }

  @Test
  void xCanaryPicksTheTrackAndAnyOtherValueIsRefused() {
    Http gateway = gateway(upstream("canary-1", 200), 0);
    assertEquals(Map.of("canary-1", 20), answeredBy(gateway, 20, MultiMap.caseInsensitiveMultiMap().add("X-Canary", "always")));
    assertEquals(20, answeredBy(gateway, 20, MultiMap.caseInsensitiveMultiMap().add("X-Canary", "never")).values().stream()
      .mapToInt(Integer::intValue).sum());
    assertTrue(answeredBy(gateway, 20, MultiMap.caseInsensitiveMultiMap().add("X-Canary", "never")).keySet().stream()
      .allMatch(by -> by.startsWith("stable")));
    HttpResponse<Buffer> refused = gateway.send(HttpMethod.GET, "/api/customers/c-1", null, MultiMap.caseInsensitiveMultiMap().add("X-Canary", "sometimes"));
    assertProblem(refused, 400);
    assertTrue(refused.bodyAsJsonObject().getString("detail").contains("X-Canary"), refused.bodyAsString());
  }

  @Test
  void aCanaryThatIsDownGetsNoTrafficAndCostsNoFailure() {
    Http gateway = gateway("http://127.0.0.1:" + FreePorts.find(), 50);
    Map<String, Integer> counts = answeredBy(gateway, 200, MultiMap.caseInsensitiveMultiMap());
    assertEquals(200, counts.get("stable-1") + counts.get("stable-2"), counts.toString());
    JsonObject canary = eventually(Duration.ofSeconds(5), "the canary to be shown with no share",
      () -> gateway.get("/api/status").bodyAsJsonObject().getJsonObject("services").getJsonObject("customers-canary"),
      track -> track.getInteger("weight") == 0);
    assertEquals(50, canary.getInteger("configuredWeight"));
    assertEquals(100, gateway.get("/api/status").bodyAsJsonObject().getJsonObject("services").getJsonObject("customers").getInteger("weight"));
  }

  @Test
  void aCanaryThatErrsIsCountedAndWhatMayBeSentAgainIsAnsweredByStable() {
    // The canary stays in: this is about what its failures cost, not its ejection.
    Http gateway = gateway(upstream("canary-1", 500), 50, Map.of("INSTANCE_MAX_FAILURES", "1000"));
    Map<String, Integer> counts = answeredBy(gateway, 100, MultiMap.caseInsensitiveMultiMap());
    assertNull(counts.get("canary-1"), "every GET the canary failed was answered by stable: " + counts);
    HttpResponse<Buffer> post = null;
    for (int i = 0; i < 4 && (post == null || post.statusCode() != 500); i++) {
      post = gateway.post("/api/customers", new JsonObject().put("name", "n"));
    }
    assertEquals(500, post.statusCode(), "a POST without a key the canary failed is not sent again: " + post.bodyAsString());
    assertEquals("canary", post.getHeader("X-Track"));

    String metrics = new Http(vertx, this.gateway.managementPort()).get("/metrics").bodyAsString();
    assertEquals(51, trackCount(metrics, "canary", "failed"), "the 50 GETs and the POST the canary failed");
    assertEquals(0, trackCount(metrics, "canary", "answered"));
    assertEquals(101, trackCount(metrics, "stable", "answered"), "the 100 GETs and the first POST");
  }

  /** {@code swarmshop_track_requests_seconds_count} for customers on a track, by outcome. */
  private static double trackCount(String metrics, String track, String outcome) {
    Matcher count = Pattern.compile("(?m)^swarmshop_track_requests_seconds_count\\{([^}]*)} (\\S+)$").matcher(metrics);
    double total = 0;
    while (count.find()) {
      String labels = count.group(1);
      if (labels.contains("dependency=\"customers\"") && labels.contains("track=\"" + track + "\"") && labels.contains("outcome=\"" + outcome + "\"")) {
        total += Double.parseDouble(count.group(2));
      }
    }
    return total;
  }
}
