package io.swarmshop.service;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmshop.http.Problems;
import io.swarmshop.http.RequestIds;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.security.Security;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * The bootstrap every service shares: Vert.x with Prometheus metrics, the API port served on every
 * event loop, the management port ({@code /health/live}, {@code /health/ready}, {@code /metrics}),
 * and a drain on SIGTERM that lets the process exit 0.
 */
public final class ServiceRunner {
  private static final Logger LOG = Logger.getLogger(ServiceRunner.class.getName());
  /** The transports a service may run on, the one spending the least system time per request first. */
  static final List<Transport> FASTEST_FIRST = List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);

  static {
    // Swarm tasks come and go: never cache a DNS answer for long.
    Security.setProperty("networkaddress.cache.ttl", "1");
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
  }

  private ServiceRunner() {
  }

  /**
   * The entry point of a service's {@code main}: reads the settings (refusing a bad one with one line
   * that names it, and exit code 2), starts the service, and drains it on SIGTERM or Ctrl-C.
   */
  public static void main(String serviceName, Function<Environment, ServiceApplication> application) {
    Environment env = Environment.system();
    ServiceSettings settings;
    ServiceApplication configured;
    try {
      settings = ServiceSettings.from(env);
      configured = application.apply(env);
    } catch (InvalidSetting invalid) {
      System.err.println(serviceName + " cannot start: " + invalid.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(settings.logLevel(), settings.logFormat(), serviceName, settings.hostname(), settings.node());
    LOG.info(serviceName + " settings: " + env.describe());
    Promise<RunningService> started = Promise.promise();
    drainOnSignals(serviceName, started.future(), settings);
    try {
      start(serviceName, configured, settings).onComplete(started);
      started.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println(serviceName + " could not start: " + cause.getMessage());
      System.exit(1);
    }
  }

  /**
   * On SIGTERM or Ctrl-C, once: drains the service (as soon as it has started, when the signal comes
   * while it starts), then exits. Signals, not a shutdown hook: the JVM's shutdown closes the log
   * handlers at once, beside the hooks, and a drain in a hook would serve its last requests without
   * a line in the log.
   */
  private static void drainOnSignals(String serviceName, Future<RunningService> started, ServiceSettings settings) {
    long delayMs = settings.shutdownDelayMs();
    long graceMs = settings.shutdownGraceMs();
    Runnable drainThenExit = () -> {
      try {
        started.compose(running -> running.drain(delayMs, graceMs))
          .toCompletionStage().toCompletableFuture().get(60_000 + delayMs + graceMs, TimeUnit.MILLISECONDS);
        LOG.info(serviceName + " drained and stopped");
        System.exit(0);
      } catch (Exception e) {
        LOG.warning(serviceName + " did not drain in time: " + e);
        System.exit(1);
      }
    };
    AtomicBoolean drainStarted = new AtomicBoolean();
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), received -> {
        if (drainStarted.compareAndSet(false, true)) {
          new Thread(drainThenExit, "drain").start();
        }
      });
    }
  }

  public static Future<RunningService> start(String serviceName, ServiceApplication application, ServiceSettings settings) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.config().commonTags("service", serviceName);
    int eventLoops = settings.eventLoops();
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setEnabled(true)
      // Registries are shared by name within a JVM; tests run several services in one.
      .setRegistryName(serviceName + "-" + UUID.randomUUID())
      .setJvmMetricsEnabled(true)
      // Per-request cost: every label is a meter lookup on every request (but for the HTTP server's
      // figures, which ServiceMetrics keeps resolved), every domain a hook on every read and write.
      // Keep HTTP figures by method and status, pools, and nothing per socket.
      .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME))
      .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
      .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
      .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
      .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    if (!application.countsOutgoingCalls()) {
      metrics.addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
    }
    Transport transport = transport(settings.transport());
    Tracing tracing = Tracing.create(serviceName, settings.hostname(), settings.tracing());
    Vertx vertx = tracing.install(Vertx.builder())
      .with(new VertxOptions()
        .setEventLoopPoolSize(eventLoops)
        .setMetricsOptions(metrics))
      .withTransport(transport)
      .withMetrics(options -> new ServiceMetrics(new MicrometerMetricsFactory(meters).metrics(options), meters, serviceName,
        metrics.getMetricsNaming()))
      .build();

    String servedBy = RequestIds.servedBy(serviceName, settings.hostname(), settings.node());
    AtomicBoolean draining = new AtomicBoolean();
    WarmUp warmUp = new WarmUp();
    HealthChecks readiness = HealthChecks.create(vertx)
      .register("accepting", promise -> promise.complete(draining.get() ? Status.KO(new JsonObject().put("reason", "draining"))
        : warmUp.done() ? Status.OK() : Status.KO(new JsonObject().put("reason", "warming up"))));
    ServiceContext context = new ServiceContext(vertx, serviceName, servedBy, readiness, meters);
    Faults faults = new Faults(vertx, settings.faults(), meters);
    List<HttpServer> apiServers = new CopyOnWriteArrayList<>();

    return application.start(context)
      .compose(api -> vertx.deployVerticle(() -> new ApiVerticle(api, servedBy, faults, draining, settings.httpPort(), apiServers),
          new DeploymentOptions().setInstances(eventLoops))
        .compose(deployed -> managementServer(vertx, readiness, meters, faults, settings.managementPort()))
        .map(management -> {
          LOG.info(servedBy + " serving the API on port " + apiServers.get(0).actualPort() + ", management on port "
            + management.actualPort() + ", over " + transport.name());
          warmUp.run(vertx, apiServers.get(0).actualPort(), api.warmUpPaths(), settings.warmUpRounds());
          return new RunningService(vertx, api, List.copyOf(apiServers), management, draining, tracing);
        }))
      .recover(failure -> vertx.close().eventually(tracing::close).transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * The configured transport (named as in {@link ServiceSettings#TRANSPORTS}), else the next one of
   * {@link #FASTEST_FIRST} this machine allows: a kernel or a container's seccomp profile may refuse io_uring.
   */
  static Transport transport(String configured) {
    for (Transport candidate : FASTEST_FIRST.subList(ServiceSettings.TRANSPORTS.indexOf(configured), FASTEST_FIRST.size())) {
      if (candidate.available()) {
        return candidate;
      }
      LOG.warning(candidate.name() + " is not available here (" + candidate.unavailabilityCause() + "): trying the next transport");
    }
    return Transport.NIO;
  }

  private static Future<HttpServer> managementServer(Vertx vertx, HealthChecks readiness, PrometheusMeterRegistry meters,
                                                     Faults faults, int port) {
    Router router = Router.router(vertx);
    Problems.install(router);
    router.get("/health/live").handler(HealthCheckHandler.create(vertx).register("process", promise -> promise.complete(Status.OK())));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(meters));
    faults.route(router);
    return vertx.createHttpServer().requestHandler(router).listen(port)
      .recover(failure -> Future.failedFuture("management port " + port + ": " + failure.getMessage()));
  }

  /** One per event loop, all sharing the API port. */
  private static final class ApiVerticle extends VerticleBase {
    private final Api api;
    private final String servedBy;
    private final Faults faults;
    private final AtomicBoolean draining;
    private final int port;
    private final List<HttpServer> servers;

    ApiVerticle(Api api, String servedBy, Faults faults, AtomicBoolean draining, int port, List<HttpServer> servers) {
      this.api = api;
      this.servedBy = servedBy;
      this.faults = faults;
      this.draining = draining;
      this.port = port;
      this.servers = servers;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router.route().handler(RequestIds.handler(servedBy));
      Problems.install(router);
      // Before every request, in one handler: draining, every answer closes its connection (a
      // client that keeps it for its next request would otherwise send that one just as the port
      // closes, and find it broken off); then the faults in force, if any.
      router.route().handler(ctx -> {
        if (draining.get()) {
          // Once the head is complete: the gateway replaces the headers with its instance's.
          ctx.addHeadersEndHandler(headers -> ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE));
        }
        faults.handle(ctx);
      });
      api.setUpEventLoop(router);
      // Plain HTTP/1.1 only: no service speaks h2c or WebSocket, and the WebSocket extension
      // handler would otherwise see every request.
      return vertx.createHttpServer(new HttpServerOptions()
          .setTcpNoDelay(true)
          .setCompressionSupported(false)
          .setHttp2ClearTextEnabled(false)
          .setPerFrameWebSocketCompressionSupported(false)
          .setPerMessageWebSocketCompressionSupported(false))
        .requestHandler(router)
        .listen(port)
        .onSuccess(servers::add)
        .recover(failure -> Future.failedFuture("API port " + port + ": " + failure.getMessage()));
    }
  }
}
