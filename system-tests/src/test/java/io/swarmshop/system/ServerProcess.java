package io.swarmshop.system;

import io.swarmshop.testing.Eventually;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server a test starts as a process of its own (Zipkin, Alertmanager) on a loopback port, its
 * output in a log file: waited for until {@code readyPath} answers 200, stopped by its own process
 * handle when the test closes it, or when it did not come up.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final String url;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ServerProcess(String name, List<String> command, Map<String, String> environment, int port, String readyPath, Duration within) {
    this.url = "http://127.0.0.1:" + port;
    try {
      Path log = Files.createTempFile(name, ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      process = builder.start();
      try {
        Eventually.eventually(within, name + " to answer on port " + port + " (its log: " + log + ")", () -> {
          HttpResponse<String> answer = process.isAlive() ? send(HttpRequest.newBuilder(URI.create(url + readyPath))) : null;
          return answer != null && answer.statusCode() == 200;
        });
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return url;
  }

  /** One request to the server, with a 5 s limit; null when it does not answer. */
  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
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
