package io.swarmshop.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Services;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A draining gateway still forwards in its delay, and closes each connection after its answer, whatever its instance answered. */
@ExtendWith(VertxExtension.class)
class GatewayDrainTest {
  @Test
  void whileItDrainsEveryForwardedAnswerClosesItsConnection(Vertx vertx) {
    HttpServer upstream = Http.await(vertx.createHttpServer()
      .requestHandler(request -> request.response().putHeader("Connection", "keep-alive").putHeader("Content-Type", "application/json").end("{}"))
      .listen(0, "127.0.0.1"));
    RunningService gateway = Services.start("gateway", Main::application, Map.of("CUSTOMERS_URLS", "http://127.0.0.1:" + upstream.actualPort()));
    try {
      Http http = new Http(vertx, gateway.httpPort());
      assertEquals(null, http.get("/api/customers").getHeader("Connection"));
      Future<Void> drained = gateway.drain(3000, 1000);
      HttpResponse<Buffer> answer = http.get("/api/customers");
      assertEquals(200, answer.statusCode());
      assertEquals("close", answer.getHeader("Connection"));
      Http.await(drained);
    } finally {
      Http.await(gateway.close());
      Http.await(upstream.close());
    }
  }
}
