package io.swarmshop.system;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two real customers replicas on one Redis behind a real gateway, one of them set to fail every
 * request: the gateway answers everything that may be sent again from the other, ejects the faulted
 * one, keeps it out while it errs, and takes it back once its faults are removed at run time.
 */
@ExtendWith(VertxExtension.class)
class FaultedReplicaTest {
  private final Started started = new Started();

  @AfterEach
  void stop() {
    started.close();
  }

  @Test
  void theGatewayEjectsAReplicaThatErrsAndTakesItBackOnceItServes(Vertx vertx) {
    RedisServer redis = started.redis();
    RunningService faulted = started.service("customers", io.swarmshop.customers.Main::application,
      Map.of("REDIS_URL", redis.url(), "HOSTNAME", "faulted", "FAULT_ERROR_PERCENT", "100"));
    RunningService sound = started.service("customers", io.swarmshop.customers.Main::application,
      Map.of("REDIS_URL", redis.url(), "HOSTNAME", "sound"));
    RunningService gateway = started.service("gateway", io.swarmshop.gateway.Main::application, Map.of(
      "CUSTOMERS_URLS", "http://127.0.0.1:" + faulted.httpPort() + ",http://127.0.0.1:" + sound.httpPort(),
      "INSTANCE_MAX_FAILURES", "3", "INSTANCE_RESET_MS", "1000"));
    Http http = new Http(vertx, gateway.httpPort());
    Http faultedManagement = new Http(vertx, faulted.managementPort());

    HttpResponse<Buffer> created = http.send(HttpMethod.POST, "/api/customers", new JsonObject().put("name", "Kept").encode(),
      MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "faulted-replica-1"));
    assertEquals(201, created.statusCode(), "a keyed POST is sent on to the sound replica: " + created.bodyAsString());
    String path = "/api/customers/" + created.bodyAsJsonObject().getString("id");
    for (int i = 0; i < 30; i++) {
      HttpResponse<Buffer> read = http.get(path);
      assertEquals(200, read.statusCode(), read.bodyAsString());
      assertTrue(read.getHeader("X-Served-By").startsWith("customers@sound"), read.getHeader("X-Served-By"));
    }
    String faultedUrl = "http://127.0.0.1:" + faulted.httpPort();
    assertEquals("OPEN", circuitOf(http, faultedUrl), "ejected after its third 500");
    double injectedWhenEjected = injectedErrors(faultedManagement);
    assertTrue(injectedWhenEjected >= 3 && injectedWhenEjected <= 10, injectedWhenEjected + " requests failed on purpose (three, and the probes of an ejected instance)");

    assertEquals(204, faultedManagement.delete("/faults").statusCode());
    // Two reads a try: with two replicas in turn, one of them goes to each.
    eventually(Duration.ofSeconds(10), "the faulted replica to serve through the gateway again",
      () -> List.of(http.get(path).getHeader("X-Served-By"), http.get(path).getHeader("X-Served-By")),
      servedBy -> servedBy.stream().anyMatch(by -> by.startsWith("customers@faulted")));
    assertEquals("CLOSED", circuitOf(http, faultedUrl));
  }

  private static String circuitOf(Http gateway, String url) {
    return gateway.get("/api/status").bodyAsJsonObject().getJsonObject("services").getJsonObject("customers").getJsonArray("instances")
      .stream().map(JsonObject.class::cast).filter(instance -> instance.getString("url").equals(url))
      .findFirst().orElseThrow().getString("circuit");
  }

  private static double injectedErrors(Http management) {
    Matcher counter = Pattern.compile("(?m)^swarmshop_faults_injected_total\\{[^}]*kind=\"error\"[^}]*} (\\S+)$")
      .matcher(management.get("/metrics").bodyAsString());
    assertTrue(counter.find(), "the injected errors are counted");
    return Double.parseDouble(counter.group(1));
  }
}
