package io.swarmshop.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;

/** What the bootstrap hands a service: its Vert.x, settings, identity, readiness checks and metrics. */
public record ServiceContext(Vertx vertx, Config config, String serviceName, String servedBy,
                             HealthChecks readiness, MeterRegistry meters) {
}
