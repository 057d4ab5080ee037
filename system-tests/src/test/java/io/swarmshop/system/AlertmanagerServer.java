package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.Eventually;
import io.swarmshop.testing.FreePorts;
import io.vertx.core.json.JsonArray;
import java.io.File;
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
 * A real Alertmanager (Debian's prometheus-alertmanager, which scripts/test.sh installs) on a free
 * loopback port, alone (no cluster), routing to no receiver; stopped, by its own process handle, when
 * the test closes it.
 */
final class AlertmanagerServer implements AutoCloseable {
  private static final String BINARY = "/usr/bin/prometheus-alertmanager";
  private final int port = FreePorts.find();
  private final Process process;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  AlertmanagerServer() {
    assertTrue(new File(BINARY).canExecute(), BINARY + " is missing: install the Debian package prometheus-alertmanager (scripts/test.sh does)");
    try {
      Path directory = Files.createTempDirectory("alertmanager");
      Path config = Files.writeString(directory.resolve("alertmanager.yml"), "route: {receiver: none}\nreceivers: [{name: none}]\n");
      process = new ProcessBuilder(List.of(BINARY, "--config.file=" + config, "--storage.path=" + directory.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="))
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("alertmanager.log").toFile())
        .start();
      try {
        Eventually.eventually(Duration.ofSeconds(30), "Alertmanager to answer on port " + port + " (its log: " + directory + ")",
          () -> process.isAlive() && ready());
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

  private boolean ready() {
    try {
      return send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))).statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Sends alerts as Prometheus does (POST /api/v2/alerts). */
  void fire(JsonArray alerts) {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts.encode())));
    assertEquals(200, answer.statusCode(), answer.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
