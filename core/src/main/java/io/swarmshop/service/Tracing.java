package io.swarmshop.service;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxBuilder;

/**
 * OpenTelemetry for one service: every HTTP request served or sent and every Redis command is a
 * span, the trace context goes to the next hop as W3C {@code traceparent}, and recorded spans go to
 * Zipkin in batches, off the event loops.
 */
public final class Tracing {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_INSTANCE = AttributeKey.stringKey("service.instance.id");

  private final OpenTelemetrySdk sdk;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  public static Tracing create(String serviceName, String instance, TracingSettings settings) {
    SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
      .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName, SERVICE_INSTANCE, instance))))
      .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampling())));
    if (settings.zipkinUrl() != null) {
      provider.addSpanProcessor(BatchSpanProcessor.builder(
        ZipkinSpanExporter.builder().setEndpoint(settings.spansEndpoint().toString()).build()).build());
    }
    return new Tracing(OpenTelemetrySdk.builder()
      .setTracerProvider(provider.build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build());
  }

  /** Makes the Vert.x instance trace with this SDK. */
  VertxBuilder install(VertxBuilder builder) {
    RecordingTracer tracer = new RecordingTracer(sdk);
    return builder.withTracer(options -> tracer);
  }

  /** Sends what is still buffered (within the exporter's own timeout) and stops, without blocking. */
  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    sdk.shutdown().whenComplete(closed::tryComplete);
    return closed.future();
  }
}
