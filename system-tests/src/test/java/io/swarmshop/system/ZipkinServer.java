package io.swarmshop.system;

import io.swarmshop.testing.Eventually;
import io.swarmshop.testing.FreePorts;
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

/**
 * A real Zipkin (the server's executable jar, which the build copies to target/zipkin), in memory, on
 * a free loopback port; stopped, by its own process handle, when the test closes it.
 */
final class ZipkinServer implements AutoCloseable {
  private static final Path JAR = Path.of("target", "zipkin", "zipkin-server.jar");
  private final int port = FreePorts.find();
  private final Process process;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ZipkinServer() {
    try {
      Path log = Files.createTempFile("zipkin", ".log");
      ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", JAR.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
      builder.environment().put("QUERY_PORT", String.valueOf(port));
      builder.environment().put("STORAGE_TYPE", "mem");
      process = builder.start();
      try {
        Eventually.eventually(Duration.ofSeconds(90), "Zipkin to answer on port " + port + " (its log: " + log + ")",
          () -> process.isAlive() && get("/health") != null);
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** GET of one of Zipkin's API paths; the body, or null when it does not answer 200. */
  String get(String path) {
    try {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 ? answer.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
