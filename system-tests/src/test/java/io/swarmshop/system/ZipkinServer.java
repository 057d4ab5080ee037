package io.swarmshop.system;

import io.swarmshop.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Zipkin (the server's executable jar, which the build copies to target/zipkin), in memory, on
 * a free loopback port; stopped, by its own process handle, when the test closes it.
 */
final class ZipkinServer implements AutoCloseable {
  private static final Path JAR = Path.of("target", "zipkin", "zipkin-server.jar");
  private final ServerProcess server;

  ZipkinServer() {
    int port = FreePorts.find();
    server = new ServerProcess("zipkin", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-jar", JAR.toString()), Map.of("QUERY_PORT", String.valueOf(port), "STORAGE_TYPE", "mem"),
      port, "/health", Duration.ofSeconds(90));
  }

  String url() {
    return server.url();
  }

  /** GET of one of Zipkin's API paths; the body, or null when it does not answer 200. */
  String get(String path) {
    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(URI.create(url() + path)));
    return answer != null && answer.statusCode() == 200 ? answer.body() : null;
  }

  @Override
  public void close() {
    server.close();
  }
}
