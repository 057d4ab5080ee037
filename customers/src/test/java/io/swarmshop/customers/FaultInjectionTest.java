package io.swarmshop.customers;

import static io.swarmshop.testing.ProblemAnswers.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults a real service injects into its API, from its settings and from {@code /faults} on its
 * management port: injected 500s and delays, counted in {@code /metrics}, never on health.
 */
@ExtendWith(VertxExtension.class)
class FaultInjectionTest {
  private final Started started = new Started();

  @AfterEach
  void stop() {
    started.close();
  }

  @Test
  void theSettingsFaultEveryApiRequestButNeverHealth(Vertx vertx) {
    RunningService service = started.serviceWithRedis("customers", Main::application, Map.of("FAULT_ERROR_PERCENT", "100"));
    Http http = new Http(vertx, service.httpPort());
    Http management = new Http(vertx, service.managementPort());

    HttpResponse<Buffer> faulted = http.get("/customers");
    assertProblem(faulted, 500);
    assertTrue(faulted.bodyAsJsonObject().getString("detail").contains("injected"), faulted.bodyAsString());
    assertProblem(http.post("/customers", new JsonObject().put("name", "Never stored")), 500);
    assertEquals(200, management.get("/health/ready").statusCode());
    assertEquals(200, management.get("/health/live").statusCode());
    assertEquals(new JsonObject().put("errorPercent", 100).put("delayMs", 0).put("delayPercent", 100),
      management.get("/faults").bodyAsJsonObject());
    assertEquals(2.0, injected(management, "error"));

    assertEquals(204, management.delete("/faults").statusCode());
    assertEquals(200, http.get("/customers").statusCode());
    assertEquals(0, http.all("/customers", "").size(), "the faulted POST stored nothing");
  }

  @Test
  void faultsChangeAtRunTimeAndADelayedRequestKeepsItsBody(Vertx vertx) {
    RunningService service = started.serviceWithRedis("customers", Main::application, Map.of());
    Http http = new Http(vertx, service.httpPort());
    Http management = new Http(vertx, service.managementPort());
    assertEquals(new JsonObject().put("errorPercent", 0).put("delayMs", 0).put("delayPercent", 100),
      management.get("/faults").bodyAsJsonObject());

    HttpResponse<Buffer> set = management.put("/faults", new JsonObject().put("delayMs", 300));
    assertEquals(200, set.statusCode(), set.bodyAsString());
    long started = System.nanoTime();
    HttpResponse<Buffer> created = http.post("/customers", new JsonObject().put("name", "Held back"));
    long heldMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("Held back", created.bodyAsJsonObject().getString("name"));
    assertTrue(heldMs >= 300, "answered after " + heldMs + " ms");
    // A body no handler reads (a 404) is dropped, and the connection serves the next request.
    assertProblem(http.post("/nowhere", new JsonObject().put("name", "x")), 404);
    assertEquals(200, http.get("/customers/" + created.bodyAsJsonObject().getString("id")).statusCode());
    assertEquals(3.0, injected(management, "delay"));
    assertEquals(200, management.get("/health/ready").statusCode());

    // Half the requests fail: of 200, far more than 20 and far fewer than 180 (a binomial tail of 1e-30).
    management.put("/faults", new JsonObject().put("errorPercent", 50));
    long failed = IntStream.range(0, 200).filter(i -> http.get("/customers?limit=1").statusCode() == 500).count();
    assertTrue(failed > 20 && failed < 180, failed + " of 200 failed");
    assertEquals(3.0, injected(management, "delay"), "a fault without a delay holds nothing back");

    management.delete("/faults");
    assertEquals(200, http.get("/customers?limit=1").statusCode());
  }

  @Test
  void aBadFaultIsRefusedAndChangesNothing(Vertx vertx) {
    RunningService service = started.serviceWithRedis("customers", Main::application, Map.of());
    Http http = new Http(vertx, service.httpPort());
    Http management = new Http(vertx, service.managementPort());
    assertProblem(management.put("/faults", new JsonObject().put("errorPercent", 101)), 400);
    assertProblem(management.put("/faults", new JsonObject().put("delayMs", -1)), 400);
    assertProblem(management.put("/faults", new JsonObject().put("errorPercent", 10).put("mood", "grumpy")), 400);
    assertProblem(management.send(HttpMethod.PUT, "/faults", "{\"errorPercent\":", MultiMap.caseInsensitiveMultiMap()), 400);
    assertProblem(management.send(HttpMethod.PUT, "/faults", "errorPercent=10",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain")), 415);
    assertEquals(0, management.get("/faults").bodyAsJsonObject().getInteger("errorPercent"));
    assertEquals(200, http.get("/customers").statusCode());
    assertProblem(http.get("/faults"), 404);
  }

  /** {@code swarmshop_faults_injected_total{kind}} as the service exposes it. */
  private static double injected(Http management, String kind) {
    String metrics = management.get("/metrics").bodyAsString();
    Matcher counter = Pattern.compile("(?m)^swarmshop_faults_injected_total\\{[^}]*kind=\"" + kind + "\"[^}]*} (\\S+)$").matcher(metrics);
    if (!counter.find()) {
      throw new AssertionError("no swarmshop_faults_injected_total for " + kind);
    }
    return Double.parseDouble(counter.group(1));
  }
}
