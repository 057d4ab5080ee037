package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.FreePorts;
import io.vertx.core.json.JsonArray;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Alertmanager (Debian's prometheus-alertmanager, which scripts/test.sh installs) on a free
 * loopback port, alone (no cluster), routing to no receiver; stopped, by its own process handle, when
 * the test closes it.
 */
final class AlertmanagerServer implements AutoCloseable {
  private static final String BINARY = "/usr/bin/prometheus-alertmanager";
  private final ServerProcess server;

  AlertmanagerServer() {
    assertTrue(new File(BINARY).canExecute(), BINARY + " is missing: install the Debian package prometheus-alertmanager (scripts/test.sh does)");
    int port = FreePorts.find();
    try {
      Path directory = Files.createTempDirectory("alertmanager");
      Path config = Files.writeString(directory.resolve("alertmanager.yml"), "route: {receiver: none}\nreceivers: [{name: none}]\n");
      server = new ServerProcess("alertmanager", List.of(BINARY, "--config.file=" + config, "--storage.path=" + directory.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="), Map.of(), port, "/-/ready", Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return server.url();
  }

  /** Sends alerts as Prometheus does (POST /api/v2/alerts). */
  void fire(JsonArray alerts) {
    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts.encode())));
    assertNotNull(answer, "Alertmanager answers");
    assertEquals(200, answer.statusCode(), answer.body());
  }

  @Override
  public void close() {
    server.close();
  }
}
