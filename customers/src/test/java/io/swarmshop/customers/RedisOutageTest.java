package io.swarmshop.customers;

import static io.swarmshop.testing.Eventually.eventually;
import static io.swarmshop.testing.ProblemAnswers.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.swarmshop.testing.Services;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redis killed and restarted under a running service: fast 503s, not-ready, then back by itself. */
@ExtendWith(VertxExtension.class)
class RedisOutageTest {
  private RedisServer redis;
  private RunningService service;

  @AfterEach
  void stop() {
    if (service != null) {
      Http.await(service.close());
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void answers503WhileRedisIsDownAndRecoversWhenItIsBack(Vertx vertx) {
    redis = RedisServer.start();
    service = Services.start("customers", Main::application, Map.of("REDIS_URL", redis.url(), "REDIS_TIMEOUT_MS", "500"));
    Http http = new Http(vertx, service.httpPort());
    Http management = new Http(vertx, service.managementPort());
    JsonObject ada = http.post("/customers", new JsonObject().put("name", "Ada")).bodyAsJsonObject();

    redis.kill();
    for (int i = 0; i < 5; i++) {
      long started = System.nanoTime();
      HttpResponse<Buffer> response = http.post("/customers", new JsonObject().put("name", "While down " + i));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertUnavailable(response);
      assertTrue(elapsedMs < 2000, "a 503 comes within the command time limit, took " + elapsedMs + " ms");
    }
    assertEquals(503, http.get("/customers/" + ada.getString("id")).statusCode());
    HttpResponse<Buffer> notReady = management.get("/health/ready");
    assertEquals(503, notReady.statusCode());
    assertTrue(notReady.bodyAsString().contains("redis"), notReady.bodyAsString());
    assertEquals(200, management.get("/health/live").statusCode(), "alive while its Redis is down");

    redis.restart();
    HttpResponse<Buffer> created = eventually(Duration.ofSeconds(10), "the service reconnects to its Redis by itself",
      () -> http.post("/customers", new JsonObject().put("name", "After")), answer -> answer.statusCode() == 201);
    assertEquals(200, management.get("/health/ready").statusCode());
    assertEquals(200, http.get("/customers/" + created.bodyAsJsonObject().getString("id")).statusCode());
  }
}
