package io.swarmshop.gateway;

import io.swarmshop.calls.InstanceCalls;
import io.swarmshop.calls.InstanceCircuits;
import io.swarmshop.discovery.Discovery;
import io.swarmshop.http.JsonRequests;
import io.swarmshop.http.Problem;
import io.swarmshop.http.RequestIds;
import io.swarmshop.http.Responses;
import io.swarmshop.service.Api;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Wires the gateway: discovery of every service and a circuit per instance, shared by the process;
 * on each event loop its own calls (so that a forwarded call stays on the loop that received it) and
 * the routes: {@code /api/status}, the API's contract ({@code /api/openapi.json} and {@code .yaml}),
 * {@code /api/<service>/**} to the services, everything else to the webapp.
 */
public final class GatewayApplication implements ServiceApplication {
  private final GatewaySettings settings;

  GatewayApplication(GatewaySettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<Api> start(ServiceContext context) {
    return ApiDocument.load(context.vertx()).compose(document ->
      InstanceCircuits.start(context.vertx(), settings.discovery(), settings.circuits(), context.meters())
        .map(circuits -> new GatewayApi(context, circuits, document)));
  }

  /** Every forwarded call is counted by the service that answers it; counting it here again cost CPU on every call. */
  @Override
  public boolean countsOutgoingCalls() {
    return false;
  }

  private final class GatewayApi implements Api {
    private final ServiceContext context;
    private final InstanceCircuits circuits;
    private final ApiDocument document;
    private final RecentRequests recent = new RecentRequests();
    private final InstanceNames names;
    private final FiringAlerts alerts;

    GatewayApi(ServiceContext context, InstanceCircuits circuits, ApiDocument document) {
      this.context = context;
      this.circuits = circuits;
      this.document = document;
      this.names = new InstanceNames(context.vertx(), circuits.discovery());
      this.alerts = settings.alertmanagerUrl() == null ? null : new FiringAlerts(context.vertx(), settings.alertmanagerUrl());
    }

    @Override
    public void setUpEventLoop(Router router) {
      InstanceCalls calls = new InstanceCalls(Vertx.currentContext().owner(), circuits, settings.poolSize());
      Forwarder forwarder = new Forwarder(calls, recent, names, settings.connectTimeoutMs());
      BodyHandler bodies = BodyHandler.create(false).setBodyLimit(JsonRequests.MAX_BODY_BYTES);
      // Most requests are GETs without a body: they skip the body handler's buffering set-up.
      router.route().handler(ctx -> {
        if (announcesBody(ctx.request())) {
          bodies.handle(ctx);
        } else {
          ctx.next();
        }
      });
      router.get("/api/status").handler(ctx -> Responses.json(ctx, 200, status()));
      router.get("/api/openapi.json").handler(document::json);
      router.get("/api/openapi.yaml").handler(document::yaml);
      for (Upstream upstream : settings.apis()) {
        router.route(upstream.publicPrefix()).handler(ctx -> forwarder.forward(ctx, upstream));
        router.route(upstream.publicPrefix() + "/*").handler(ctx -> forwarder.forward(ctx, upstream));
      }
      router.route("/api/*").handler(ctx -> ctx.fail(Problem.notFound("There is no such API path.")));
      router.route().handler(ctx -> forwarder.forward(ctx, settings.webapp()));
    }

    /**
     * What the gateway sees: each service's instances with their health, circuit, task and node, the
     * recent answers, and (with an Alertmanager) the alerts that fire.
     */
    private JsonObject status() {
      Discovery discovery = circuits.discovery();
      JsonObject services = new JsonObject();
      for (String service : discovery.services()) {
        JsonArray instances = new JsonArray();
        discovery.instances(service).forEach(instance -> {
          String servedBy = names.servedBy(instance);
          instances.add(new JsonObject()
            .put("id", instance.id())
            .put("url", instance.url())
            .put("healthy", circuits.healthy(instance))
            .put("circuit", circuits.state(instance).name())
            .put("servedBy", servedBy)
            .put("node", RequestIds.nodeOf(servedBy)));
        });
        services.put(service, new JsonObject().put("instances", instances));
      }
      JsonObject status = new JsonObject()
        .put("gateway", context.servedBy())
        .put("node", RequestIds.nodeOf(context.servedBy()))
        .put("services", services)
        .put("recent", recent.toJson());
      return alerts == null ? status : status.put("alerts", alerts.toJson());
    }

    @Override
    public Future<Void> close() {
      names.close();
      if (alerts != null) {
        alerts.close();
      }
      return circuits.close();
    }
  }

  private static boolean announcesBody(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.CONTENT_LENGTH) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
