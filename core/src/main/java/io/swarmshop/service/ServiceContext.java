package io.swarmshop.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the bootstrap hands a service as it starts: its Vert.x, identity, readiness checks and metrics. */
public record ServiceContext(Vertx vertx, String serviceName, String servedBy, HealthChecks readiness, MeterRegistry meters) {
  /** Within the health checks' own 1 s limit, so that a hanging dependency reads as not ready (503), not as an error. */
  private static final long PROBE_TIMEOUT_MS = 800;

  /** Makes readiness depend on {@code probe} succeeding in time. */
  public void readyWhen(String name, Supplier<Future<?>> probe) {
    readiness.register(name, promise -> probe.get()
      .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .map(ok -> Status.OK())
      .otherwise(failure -> Status.KO(new JsonObject().put("reason", String.valueOf(failure.getMessage()))))
      .onComplete(promise));
  }
}
