package io.swarmshop.system;

import io.swarmshop.http.JsonBody;
import io.swarmshop.http.JsonRequests;
import io.swarmshop.http.Problem;
import io.swarmshop.http.Problems;
import io.swarmshop.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The servers scripts/bench/validation.sh measures: POST /api/customers and GET /api/customers/{id}
 * validated by hand, as the customers service does (JsonBody, Responses.pathId), on HAND_PORT, and by
 * vertx-web-openapi-router from docs/openapi.yaml on CONTRACT_PORT. Neither stores anything, so the
 * figures compare validation alone. Prints how each answers bad requests, then serves until stdin closes.
 */
public final class ValidationBench {
  private static final JsonObject CREATED = new JsonObject().put("id", "3f9c2a64-8f0e-4d1b-9a57-1c2d3e4f5a6b").put("name", "Ada")
    .put("address", "1 Main St").put("createdAt", "2026-12-01T00:00:00Z").put("updatedAt", "2026-12-01T00:00:00Z");
  private static final List<String[]> BAD_REQUESTS = List.of(
    new String[] {"POST", "/api/customers", "{\"name\":\"\",\"address\":7,\"extra\":true}"},
    new String[] {"POST", "/api/customers", "{\"name\":"},
    new String[] {"GET", "/api/customers/not%20an%20id", null});

  private ValidationBench() {
  }

  public static void main(String[] args) throws Exception {
    int handPort = Integer.parseInt(System.getenv().getOrDefault("HAND_PORT", "18181"));
    int contractPort = Integer.parseInt(System.getenv().getOrDefault("CONTRACT_PORT", "18182"));
    Vertx vertx = Vertx.vertx();
    // vertx-openapi 5.0.7 refuses application/problem+json (eclipse-vertx/vertx-openapi#107),
    // application/yaml and a relative server URL ("/"): the router gets a copy of the document with
    // the customers' paths only, whose problems are application/json and whose server is absolute.
    JsonObject document = new JsonObject(Contract.read().document().encode()
      .replace("application/problem+json", "application/json"));
    JsonObject paths = document.getJsonObject("paths");
    document.put("paths", new JsonObject().put("/api/customers", paths.getJsonObject("/api/customers"))
      .put("/api/customers/{id}", paths.getJsonObject("/api/customers/{id}")));
    document.getJsonArray("servers").getJsonObject(0).put("url", "http://127.0.0.1/");
    Future<Void> started = OpenAPIContract.from(vertx, document)
      .compose(contract -> listen(vertx, contractRouter(vertx, contract), contractPort))
      .compose(v -> listen(vertx, handRouter(vertx), handPort))
      .compose(v -> showBadRequests(vertx, handPort, contractPort));
    started.await(30, TimeUnit.SECONDS);
    System.out.println("serving: hand on " + handPort + ", contract on " + contractPort);
    while (System.in.read() != -1) {
      // Serves until the script closes stdin.
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Router handRouter(Vertx vertx) {
    Router router = Router.router(vertx);
    Problems.install(router);
    JsonRequests.accepting(router.post("/api/customers")).handler(ctx -> {
      // The calls CustomerResource makes on every body.
      JsonBody body = JsonBody.parse(ctx.body().buffer()).allowOnly(Set.of("name", "address"));
      body.string("name", 1, 200, true);
      body.string("address", 0, 500, false);
      body.validate();
      Responses.created(ctx, "/api/customers/3f9c2a64-8f0e-4d1b-9a57-1c2d3e4f5a6b", CREATED);
    });
    router.get("/api/customers/:id").handler(ctx -> {
      Responses.pathId(ctx, "customer");
      Responses.json(ctx, 200, CREATED);
    });
    return router;
  }

  private static Router contractRouter(Vertx vertx, OpenAPIContract contract) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
      .rootHandler(BodyHandler.create(false).setBodyLimit(JsonRequests.MAX_BODY_BYTES));
    builder.getRoute("createCustomer")
      .addHandler(ctx -> Responses.created(ctx, "/api/customers/3f9c2a64-8f0e-4d1b-9a57-1c2d3e4f5a6b", CREATED))
      .addFailureHandler(ValidationBench::problemOf);
    builder.getRoute("getCustomer")
      .addHandler(ctx -> Responses.json(ctx, 200, CREATED))
      .addFailureHandler(ValidationBench::problemOf);
    Router router = builder.createRouter();
    Problems.install(router);
    return router;
  }

  /** The router's failure (a 400 HttpException caused by the ValidatorException) in the services' problem shape. */
  private static void problemOf(RoutingContext ctx) {
    if (ctx.failure() != null && ctx.failure().getCause() instanceof ValidatorException invalid) {
      Problems.send(ctx, Problem.of(400, "Invalid request", invalid.getMessage()));
    } else {
      ctx.next();
    }
  }

  private static Future<Void> listen(Vertx vertx, Router router, int port) {
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").mapEmpty();
  }

  private static Future<Void> showBadRequests(Vertx vertx, int handPort, int contractPort) {
    WebClient client = WebClient.create(vertx);
    Future<Void> shown = Future.succeededFuture();
    for (String[] request : BAD_REQUESTS) {
      for (int port : new int[] {handPort, contractPort}) {
        String name = port == handPort ? "hand" : "contract";
        shown = shown.compose(v -> {
          var call = client.request(HttpMethod.valueOf(request[0]), port, "127.0.0.1", request[1])
            .putHeader("Content-Type", "application/json");
          return (request[2] == null ? call.send() : call.sendBuffer(Buffer.buffer(request[2])))
            .map(answer -> {
              System.out.println(name + ": " + request[0] + " " + request[1] + (request[2] == null ? "" : " " + request[2])
                + " -> " + answer.statusCode() + " " + answer.getHeader("Content-Type") + " " + answer.bodyAsString());
              return null;
            });
        });
      }
    }
    return shown.onComplete(done -> client.close());
  }
}
