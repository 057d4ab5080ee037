package io.swarmshop.customers;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real service reads its own API before it reports ready: its first callers meet a warm JVM. */
@ExtendWith(VertxExtension.class)
class WarmUpTest {
  private final Started started = new Started();

  @AfterEach
  void stop() {
    started.close();
  }

  @Test
  void itIsReadyOnlyOnceItHasReadItsOwnPaths(Vertx vertx) {
    RunningService service = started.serviceWithRedis("customers", Main::application, Map.of("WARM_UP_ROUNDS", "25"));
    Http management = new Http(vertx, service.managementPort());
    eventually(Duration.ofSeconds(20), "the service to be ready", () -> management.get("/health/ready").statusCode() == 200);
    Matcher gets = Pattern.compile("(?m)^vertx_http_server_requests_total\\{[^}]*method=\"GET\"[^}]*} (\\S+)$")
      .matcher(management.get("/metrics").bodyAsString());
    double served = 0;
    while (gets.find()) {
      served += Double.parseDouble(gets.group(1));
    }
    assertTrue(served >= 50, "25 rounds of its two paths were served before it was ready, not " + served);
  }
}
