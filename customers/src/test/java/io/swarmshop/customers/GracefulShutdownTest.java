package io.swarmshop.customers;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.FreePorts;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.swarmshop.testing.Services;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGTERM on a real service process with requests in flight (held by a frozen Redis): it reports
 * not-ready, refuses new connections, completes every request in flight once Redis answers, and exits 0.
 */
@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {
  private RedisServer redis;
  private Process process;
  private RunningService reader;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (reader != null) {
      Http.await(reader.close());
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void drainsRequestsInFlightAndExitsZero(Vertx vertx) throws Exception {
    redis = RedisServer.start();
    int httpPort = FreePorts.find();
    int managementPort = FreePorts.find();
    Path log = Files.createTempFile("customers-drain", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), Main.class.getName()))
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of(
      "HTTP_PORT", String.valueOf(httpPort), "MANAGEMENT_PORT", String.valueOf(managementPort),
      "REDIS_URL", redis.url(), "REDIS_TIMEOUT_MS", "20000", "SHUTDOWN_GRACE", "15", "EVENT_LOOPS", "2",
      // As in the stack: the drain begins with a delay, on a timer.
      "SHUTDOWN_DELAY_MS", "300"));
    process = builder.start();
    Http http = new Http(vertx, httpPort);
    Http management = new Http(vertx, managementPort);
    awaitReady(vertx, managementPort);

    redis.pause();
    List<Future<HttpResponse<Buffer>>> inFlight = IntStream.range(0, 20)
      .mapToObj(i -> http.sendAsync(HttpMethod.POST, "/customers", new JsonObject().put("name", "In flight " + i).encode(), MultiMap.caseInsensitiveMultiMap()))
      .toList();
    // Long enough for the requests to reach the service, which cannot answer them while Redis is frozen.
    Thread.sleep(500);
    assertTrue(inFlight.stream().noneMatch(Future::isComplete), "requests are held in flight by the frozen Redis");

    process.destroy();
    // Readiness is already 503 for the frozen Redis: what the SIGTERM adds is the draining check.
    eventually(Duration.ofSeconds(10), "the service reports draining once it has the SIGTERM",
      () -> management.get("/health/ready"), answer -> answer.statusCode() == 503 && answer.bodyAsString().contains("draining"));
    eventually(Duration.ofSeconds(10), "a new connection is refused while it drains",
      () -> !Http.await(new Http(vertx, httpPort).sendAsync(HttpMethod.GET, "/customers", null, MultiMap.caseInsensitiveMultiMap())
        .transform(result -> Future.succeededFuture(result.succeeded()))));
    assertTrue(process.isAlive(), "it waits for the requests in flight");

    redis.resume();
    for (Future<HttpResponse<Buffer>> request : inFlight) {
      HttpResponse<Buffer> response = Http.await(request);
      assertEquals(201, response.statusCode(), response.bodyAsString());
    }
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "it exits after draining");
    assertEquals(0, process.exitValue(), Files.readString(log));
    List<String> lines = Files.readAllLines(log);
    assertEquals(1, lines.stream().filter(line -> line.contains("customers settings: ")).count(),
      "the settings are logged once at start: " + Files.readString(log));
    // What a stopping task does is in its log to the end: the drain, and each request it served meanwhile.
    assertTrue(lines.stream().anyMatch(line -> line.contains("draining: not ready")), "the drain is logged: " + Files.readString(log));
    assertEquals(20, lines.stream().filter(line -> line.contains(" POST /customers 201 ")).count(),
      "every request served in the drain has its access line: " + Files.readString(log));
    assertTrue(lines.get(lines.size() - 1).contains("customers drained and stopped"), "the last line says it stopped: " + Files.readString(log));

    reader = Services.start("customers", Main::application, Map.of("REDIS_URL", redis.url()));
    List<Object> stored = new Http(vertx, reader.httpPort()).get("/customers?limit=500").bodyAsJsonObject().getJsonArray("items").getList();
    assertEquals(20, stored.size(), "every acknowledged customer is stored");
    Files.delete(log);
  }

  @Test
  void whileItDrainsEveryAnswerClosesItsConnection(Vertx vertx) {
    redis = RedisServer.start();
    reader = Services.start("customers", Main::application, Map.of("REDIS_URL", redis.url()));
    Http http = new Http(vertx, reader.httpPort());
    assertEquals(null, http.get("/customers").getHeader("Connection"), "kept alive while it serves");
    Future<Void> drained = reader.drain(3000, 1000);
    HttpResponse<Buffer> answer = http.get("/customers");
    assertEquals(200, answer.statusCode(), "still served in the drain's delay");
    assertEquals("close", answer.getHeader("Connection"), "a client reuses no connection to a draining service");
    Http.await(drained);
    reader = null;
  }

  private void awaitReady(Vertx vertx, int managementPort) {
    Http management = new Http(vertx, managementPort);
    eventually(Duration.ofSeconds(30), "the service process becomes ready", () -> {
      assertTrue(process.isAlive(), "the service process died at start");
      return Http.await(management.sendAsync(HttpMethod.GET, "/health/ready", null, MultiMap.caseInsensitiveMultiMap())
        .map(answer -> answer.statusCode() == 200).otherwise(false));
    });
  }
}
