package io.swarmshop.gateway;

import io.swarmshop.common.Config;
import io.swarmshop.common.ServiceApplication;
import io.swarmshop.common.ServiceContext;
import io.swarmshop.common.discovery.Discovery;
import io.swarmshop.common.http.Problem;
import io.swarmshop.common.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * Wires the gateway: discovery of every service, a circuit per instance, and on each event loop its
 * own HTTP client (so that a forwarded call stays on the loop that received it) and the routes:
 * {@code /api/status}, {@code /api/<service>/**} to the services, everything else to the webapp.
 */
public final class GatewayApplication implements ServiceApplication {
  /** The largest body any service accepts; larger ones are refused here with the same 413. */
  private static final int BODY_LIMIT = 64 * 1024;

  private ServiceContext context;
  private Discovery discovery;
  private InstanceCircuits circuits;
  private List<Upstream> apis;
  private Upstream webapp;
  private final RecentRequests recent = new RecentRequests();

  @Override
  public Future<Void> start(ServiceContext context) {
    this.context = context;
    Config config = context.config();
    apis = List.of(
      Upstream.api("customers", config, 2000),
      Upstream.api("products", config, 2000),
      Upstream.api("invoices", config, 3000));
    webapp = Upstream.webapp(config);
    return Discovery.start(context.vertx(), config, List.of("customers", "products", "invoices", "webapp"))
      .map(started -> {
        discovery = started;
        circuits = new InstanceCircuits(context.vertx(), discovery, httpClient(context.vertx(), config), config);
        return null;
      });
  }

  @Override
  public void routes(Router router) {
    Forwarder forwarder = new Forwarder(discovery, circuits, httpClient(Vertx.currentContext().owner(), context.config()),
      recent, context.config().integer("CONNECT_TIMEOUT_MS", 500));
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    // Most requests are GETs without a body: they skip the body handler's buffering set-up.
    router.route().handler(ctx -> {
      if (announcesBody(ctx.request())) {
        bodies.handle(ctx);
      } else {
        ctx.next();
      }
    });
    router.get("/api/status").handler(ctx -> Responses.json(ctx, 200, status()));
    for (Upstream upstream : apis) {
      router.route(upstream.publicPrefix()).handler(ctx -> forwarder.forward(ctx, upstream));
      router.route(upstream.publicPrefix() + "/*").handler(ctx -> forwarder.forward(ctx, upstream));
    }
    router.route("/api/*").handler(ctx -> ctx.fail(Problem.notFound("There is no such API path.")));
    router.route().handler(ctx -> forwarder.forward(ctx, webapp));
  }

  /** Every forwarded call is counted by the service that answers it; counting it here again cost CPU on every call. */
  @Override
  public boolean countsOutgoingCalls() {
    return false;
  }

  private static boolean announcesBody(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.CONTENT_LENGTH) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private static HttpClient httpClient(Vertx vertx, Config config) {
    return vertx.httpClientBuilder()
      .with(new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setMaxRedirects(0))
      .with(new PoolOptions().setHttp1MaxSize(config.integer("POOL_SIZE", 64)).setMaxWaitQueueSize(8192))
      .build();
  }

  /** What the gateway sees: each service's instances with their health and circuit, and the recent answers. */
  private JsonObject status() {
    JsonObject services = new JsonObject();
    for (String service : discovery.services()) {
      JsonArray instances = new JsonArray();
      discovery.instances(service).forEach(instance -> instances.add(new JsonObject()
        .put("id", instance.id())
        .put("url", instance.url())
        .put("healthy", circuits.healthy(instance))
        .put("circuit", circuits.state(instance).name())));
      services.put(service, new JsonObject().put("instances", instances));
    }
    return new JsonObject()
      .put("gateway", context.servedBy())
      .put("services", services)
      .put("recent", recent.toJson());
  }

  @Override
  public Future<Void> stop() {
    discovery.close();
    return circuits.close();
  }
}
