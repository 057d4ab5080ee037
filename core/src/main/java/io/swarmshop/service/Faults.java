package io.swarmshop.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmshop.http.JsonBody;
import io.swarmshop.http.JsonRequests;
import io.swarmshop.http.Problem;
import io.swarmshop.http.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The faults a service injects into its API: set at start from its settings, changed at run time on
 * the management port ({@code GET}, {@code PUT} and {@code DELETE /faults}), which the gateway never
 * routes to. Health and metrics are on that port too, so they are never faulted. Each injected fault
 * is counted ({@code swarmshop_faults_injected_total{kind}}) and the faults in force are gauges.
 */
final class Faults {
  private static final Logger LOG = Logger.getLogger(Faults.class.getName());

  private final Vertx vertx;
  private final Counter errors;
  private final Counter delays;
  private volatile FaultSettings current;

  Faults(Vertx vertx, FaultSettings initial, MeterRegistry meters) {
    this.vertx = vertx;
    this.current = initial;
    this.errors = Counter.builder("swarmshop.faults.injected").tag("kind", "error")
      .description("API requests answered with an injected 500").register(meters);
    this.delays = Counter.builder("swarmshop.faults.injected").tag("kind", "delay")
      .description("API requests held back by an injected delay").register(meters);
    Gauge.builder("swarmshop.faults.error.percent", this, faults -> faults.current.errorPercent())
      .description("Share of API requests answered with an injected 500").register(meters);
    Gauge.builder("swarmshop.faults.delay.seconds", this, faults -> faults.current.delayMs() / 1000.0)
      .description("Delay injected into a delayed API request").register(meters);
    Gauge.builder("swarmshop.faults.delay.percent", this, faults -> faults.current.delayPercent())
      .description("Share of API requests delayed").register(meters);
    if (initial.any()) {
      LOG.warning("injecting faults from the settings: " + initial.toJson().encode());
    }
  }

  /** The first handler of every API request: with no fault in force it costs one volatile read. */
  void handle(RoutingContext ctx) {
    FaultSettings faults = current;
    if (!faults.any()) {
      ctx.next();
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    boolean failing = faults.errorPercent() > random.nextInt(100);
    if (faults.delayMs() > 0 && faults.delayPercent() > random.nextInt(100)) {
      delays.increment();
      // Held, a request's body must wait for the handler that reads it, which resumes it; a route that
      // reads none (a 404, an injected 500) leaves it to be resumed here, and so dropped.
      HttpServerRequest request = ctx.request();
      boolean paused = !request.isEnded();
      if (paused) {
        request.pause();
      }
      vertx.setTimer(faults.delayMs(), fired -> {
        proceed(ctx, failing);
        if (paused && !request.isEnded()) {
          request.resume();
        }
      });
    } else {
      proceed(ctx, failing);
    }
  }

  private void proceed(RoutingContext ctx, boolean failing) {
    if (failing) {
      errors.increment();
      ctx.fail(Problem.of(500, "Injected fault", "This error was injected on purpose (the service's fault settings or PUT /faults)."));
    } else {
      ctx.next();
    }
  }

  /** {@code /faults} on the management router. */
  void route(Router management) {
    management.get("/faults").handler(ctx -> Responses.json(ctx, 200, current.toJson()));
    JsonRequests.accepting(management.put("/faults")).handler(ctx -> {
      FaultSettings faults = FaultSettings.parse(JsonBody.parse(ctx.body().buffer()));
      set(faults);
      Responses.json(ctx, 200, faults.toJson());
    });
    management.delete("/faults").handler(ctx -> {
      set(FaultSettings.NONE);
      ctx.response().setStatusCode(204).end();
    });
  }

  private void set(FaultSettings faults) {
    current = faults;
    LOG.warning(faults.any() ? "injecting faults: " + faults.toJson().encode() : "no faults injected any more");
  }
}
