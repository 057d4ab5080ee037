package io.swarmshop.system;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.FreePorts;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT=json: a service process writes one JSON object per line on stdout, carrying the ids of each request. */
class StructuredLogsTest {
  @Test
  void everyLineIsAJsonObjectAndTheAccessLineCarriesTheRequestAndTraceIds() throws Exception {
    int port = FreePorts.find();
    Path stdout = Files.createTempFile("webapp-json", ".log");
    Path stderr = Files.createTempFile("webapp-json", ".err");
    ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "io.swarmshop.webapp.Main"))
      .redirectOutput(stdout.toFile())
      .redirectError(stderr.toFile());
    builder.environment().putAll(java.util.Map.of("LOG_FORMAT", "json", "HTTP_PORT", String.valueOf(port),
      "MANAGEMENT_PORT", String.valueOf(FreePorts.find()), "HOSTNAME", "webapp-1", "NODE_NAME", "w1"));
    Process process = builder.start();
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> answer = eventually(Duration.ofSeconds(30), "the webapp to answer on port " + port,
        () -> get(client, port), response -> response != null);
      assertEquals(200, answer.statusCode());
      String traceId = answer.headers().firstValue("X-Trace-Id").orElseThrow();

      JsonObject access = eventually(Duration.ofSeconds(10), "the access line of request log-test-1",
        () -> lines(stdout).stream().filter(line -> "log-test-1".equals(line.getString("requestId"))).findFirst().orElse(null),
        line -> line != null);
      assertEquals("access", access.getString("logger"));
      assertEquals("webapp", access.getString("service"));
      assertEquals("webapp-1", access.getString("instance"));
      assertEquals("w1", access.getString("node"));
      assertEquals("INFO", access.getString("level"));
      assertEquals(traceId, access.getString("traceId"));
      assertEquals("GET", access.getString("method"));
      assertEquals("/", access.getString("path"));
      assertEquals(200, access.getInteger("status"));
      assertTrue(access.getDouble("durationMs") >= 0, access.encode());
      assertTrue(access.getString("time").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), access.encode());
      assertTrue(access.getString("message").contains("log-test-1"), access.encode());
      assertFalse(lines(stdout).isEmpty());
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    // Every line it wrote, the start and the drain included, is one JSON object of the same shape.
    List<JsonObject> all = lines(stdout);
    assertTrue(all.size() >= 3, "lines: " + all);
    for (JsonObject line : all) {
      for (String field : List.of("time", "level", "service", "instance", "node", "logger", "message")) {
        assertTrue(line.containsKey(field), field + " in " + line.encode());
      }
    }
    assertEquals("", Files.readString(stderr).trim(), "nothing on stderr");
    Files.delete(stdout);
    Files.delete(stderr);
  }

  private static HttpResponse<String> get(HttpClient client, int port) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("X-Request-Id", "log-test-1")
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every line so far, each parsed as a JSON object (a line that is not one fails the test). */
  private static List<JsonObject> lines(Path file) {
    try {
      return Files.readAllLines(file).stream().map(line -> {
        try {
          return new JsonObject(line);
        } catch (DecodeException e) {
          throw new AssertionError("not a JSON object: " + line, e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
