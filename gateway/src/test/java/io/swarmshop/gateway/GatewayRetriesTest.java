package io.swarmshop.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's retry policy, against two real upstream instances of which one breaks off every
 * request it gets: what may be sent twice is answered by the other one; a POST without an
 * Idempotency-Key that reached the breaking one is not sent again.
 */
@ExtendWith(VertxExtension.class)
class GatewayRetriesTest {
  private static final Started started = new Started();
  private static final List<HttpServer> upstreams = new ArrayList<>();
  private static final AtomicInteger brokenOff = new AtomicInteger();
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    HttpServer breaking = Http.await(vertx.createHttpServer().requestHandler(request -> {
      brokenOff.incrementAndGet();
      request.connection().close();
    }).listen(0, "127.0.0.1"));
    HttpServer answering = Http.await(vertx.createHttpServer()
      .requestHandler(request -> request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json").end("{}")))
      .listen(0, "127.0.0.1"));
    upstreams.addAll(List.of(breaking, answering));
    String urls = "http://127.0.0.1:" + breaking.actualPort() + ",http://127.0.0.1:" + answering.actualPort();
    // The breaking instance stays in: this test is about retries, not ejection.
    RunningService gateway = started.service("gateway", Main::application, Map.of("CUSTOMERS_URLS", urls, "INSTANCE_MAX_FAILURES", "1000"));
    http = new Http(vertx, gateway.httpPort());
  }

  @AfterAll
  static void stop() {
    started.close();
    upstreams.forEach(server -> Http.await(server.close()));
  }

  private static int send(HttpMethod method, MultiMap headers) {
    return http.send(method, "/api/customers/c-1", method == HttpMethod.GET || method == HttpMethod.DELETE ? null : "{}", headers).statusCode();
  }

  @Test
  void idempotentRequestsAndKeyedPostsAreAnsweredByTheOtherInstance() {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)) {
      for (int i = 0; i < 6; i++) {
        assertEquals(200, send(method, MultiMap.caseInsensitiveMultiMap()), method + " " + i);
      }
    }
    for (int i = 0; i < 6; i++) {
      assertEquals(200, send(HttpMethod.POST, MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "retry-" + i)), "keyed POST " + i);
    }
  }

  @Test
  void aPostWithoutAKeyThatReachedTheBreakingInstanceIsNotSentAgain() {
    int before = brokenOff.get();
    int badGateway = 0;
    for (int i = 0; i < 6; i++) {
      int status = send(HttpMethod.POST, MultiMap.caseInsensitiveMultiMap());
      assertTrue(status == 200 || status == 502, "answered " + status);
      badGateway += status == 502 ? 1 : 0;
    }
    assertEquals(brokenOff.get() - before, badGateway, "every POST the breaking instance got is a 502, none was sent on");
    assertTrue(badGateway >= 1, "round robin sent some POSTs to the breaking instance");
  }
}
