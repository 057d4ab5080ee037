package io.swarmshop.gateway;

import io.swarmshop.calls.InstanceCalls;
import io.swarmshop.calls.InstanceCircuits;
import io.swarmshop.http.JsonRequests;
import io.swarmshop.http.Problem;
import io.swarmshop.http.RequestIds;
import io.swarmshop.http.Responses;
import io.swarmshop.service.DurationHistogram;
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
import java.util.List;
import java.util.stream.Stream;

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
    private final DurationHistogram trackRequests;
    private final List<Tracks> apiTracks;
    private final Tracks webappTracks;

    GatewayApi(ServiceContext context, InstanceCircuits circuits, ApiDocument document) {
      this.context = context;
      this.circuits = circuits;
      this.document = document;
      this.names = new InstanceNames(context.vertx(), circuits.discovery());
      this.alerts = settings.alertmanagerUrl() == null ? null : new FiringAlerts(context.vertx(), settings.alertmanagerUrl());
      this.trackRequests = DurationHistogram.register(context.meters(), "swarmshop_track_requests_seconds",
        "Requests forwarded to a service's track (stable or canary), by outcome (failed: a 5xx or no answer)");
      this.apiTracks = settings.apis().stream().map(upstream -> new Tracks(upstream, circuits, trackRequests)).toList();
      this.webappTracks = new Tracks(settings.webapp(), circuits, trackRequests);
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
      for (Tracks tracks : apiTracks) {
        router.route(tracks.upstream().publicPrefix()).handler(ctx -> forwarder.forward(ctx, tracks));
        router.route(tracks.upstream().publicPrefix() + "/*").handler(ctx -> forwarder.forward(ctx, tracks));
      }
      router.route("/api/*").handler(ctx -> ctx.fail(Problem.notFound("There is no such API path.")));
      router.route().handler(ctx -> forwarder.forward(ctx, webappTracks));
    }

    /**
     * What the gateway sees: each service's tracks (stable, and a canary when it has a share or an
     * instance) with their weight and instances, each instance's health, circuit, task and node, the
     * recent answers, and (with an Alertmanager) the alerts that fire.
     */
    private JsonObject status() {
      JsonObject services = new JsonObject();
      for (Tracks tracks : Stream.concat(apiTracks.stream(), Stream.of(webappTracks)).toList()) {
        Upstream upstream = tracks.upstream();
        int canaryWeight = tracks.canaryServes() ? upstream.canaryPercent() : 0;
        services.put(upstream.service(), new JsonObject()
          .put("track", Tracks.STABLE)
          .put("weight", 100 - canaryWeight)
          .put("instances", instances(upstream.service())));
        JsonArray canaries = instances(upstream.canary());
        if (upstream.canaryPercent() > 0 || !canaries.isEmpty()) {
          services.put(upstream.canary(), new JsonObject()
            .put("track", Tracks.CANARY)
            .put("of", upstream.service())
            .put("weight", canaryWeight)
            .put("configuredWeight", upstream.canaryPercent())
            .put("instances", canaries));
        }
      }
      JsonObject status = new JsonObject()
        .put("gateway", context.servedBy())
        .put("node", RequestIds.nodeOf(context.servedBy()))
        .put("services", services)
        .put("recent", recent.toJson());
      return alerts == null ? status : status.put("alerts", alerts.toJson());
    }

    /** Its own status, and a forwarded read (a 404 from customers, or a 503 while none is there yet). */
    @Override
    public List<String> warmUpPaths() {
      return List.of("/api/status", "/api/customers/" + ABSENT_ID);
    }

    private JsonArray instances(String service) {
      JsonArray instances = new JsonArray();
      circuits.discovery().instances(service).forEach(instance -> {
        String servedBy = names.servedBy(instance);
        instances.add(new JsonObject()
          .put("id", instance.id())
          .put("url", instance.url())
          .put("healthy", circuits.healthy(instance))
          .put("circuit", circuits.state(instance).name())
          .put("servedBy", servedBy)
          .put("node", RequestIds.nodeOf(servedBy)));
      });
      return instances;
    }

    @Override
    public Future<Void> close() {
      names.close();
      if (alerts != null) {
        alerts.close();
      }
      trackRequests.close();
      return circuits.close();
    }
  }

  private static boolean announcesBody(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.CONTENT_LENGTH) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
