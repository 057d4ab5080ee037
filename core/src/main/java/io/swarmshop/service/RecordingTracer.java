package io.swarmshop.service;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.HeadersPropagatorGetter;
import io.vertx.tracing.opentelemetry.VertxContextStorageProvider.VertxContextStorage;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * vertx-opentelemetry's tracer, minus its cost on what is not recorded, which docs/performance.md
 * measured: a hop of a trace that was not sampled makes no span of its own (the caller's trace
 * context is kept for the ids and passed on as it came), and tags are read only for spans that are
 * recorded. The context a request's trace is attached to is that request's own, dropped with it.
 */
final class RecordingTracer implements VertxTracer<Span, Span> {
  private static final HeadersPropagatorGetter GETTER = new HeadersPropagatorGetter();
  private static final TextMapSetter<BiConsumer<String, String>> SETTER = (headers, name, value) -> headers.accept(name, value);

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  RecordingTracer(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("io.swarmshop");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Override
  public <R> Span receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                 Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tags) {
    if (policy == TracingPolicy.IGNORE) {
      return null;
    }
    io.opentelemetry.context.Context caller = propagator.extract(io.opentelemetry.context.Context.root(), headers, GETTER);
    SpanContext callerSpan = Span.fromContext(caller).getSpanContext();
    if (!callerSpan.isValid() && policy == TracingPolicy.PROPAGATE) {
      return null;
    }
    if (callerSpan.isValid() && !callerSpan.isSampled()) {
      VertxContextStorage.INSTANCE.attach((ContextInternal) context, caller);
      return null;
    }
    Span span = tracer.spanBuilder(operation).setParent(caller)
      .setSpanKind(kind == SpanKind.RPC ? io.opentelemetry.api.trace.SpanKind.SERVER : io.opentelemetry.api.trace.SpanKind.CONSUMER)
      .startSpan();
    tag(span, request, tags);
    VertxContextStorage.INSTANCE.attach((ContextInternal) context, caller.with(span));
    return span;
  }

  @Override
  public <R> void sendResponse(Context context, R response, Span span, Throwable failure, TagExtractor<R> tags) {
    end(span, response, failure, tags);
  }

  @Override
  public <R> Span sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                              BiConsumer<String, String> headers, TagExtractor<R> tags) {
    if (policy == TracingPolicy.IGNORE || request == null) {
      return null;
    }
    io.opentelemetry.context.Context active = VertxContextStorage.INSTANCE.current();
    if (active == null || !Span.fromContext(active).getSpanContext().isValid()) {
      if (policy != TracingPolicy.ALWAYS) {
        return null;
      }
      active = io.opentelemetry.context.Context.root();
    }
    SpanContext parent = Span.fromContext(active).getSpanContext();
    if (parent.isValid() && !parent.isSampled()) {
      if (headers != null) {
        propagator.inject(active, headers, SETTER);
      }
      return null;
    }
    Span span = tracer.spanBuilder(operation).setParent(active)
      .setSpanKind(kind == SpanKind.RPC ? io.opentelemetry.api.trace.SpanKind.CLIENT : io.opentelemetry.api.trace.SpanKind.PRODUCER)
      .startSpan();
    tag(span, request, tags);
    if (headers != null) {
      propagator.inject(active.with(span), headers, SETTER);
    }
    return span;
  }

  @Override
  public <R> void receiveResponse(Context context, R response, Span span, Throwable failure, TagExtractor<R> tags) {
    end(span, response, failure, tags);
  }

  private static <T> void tag(Span span, T subject, TagExtractor<T> tags) {
    if (span.isRecording() && subject != null) {
      tags.extractTo(subject, span::setAttribute);
    }
  }

  private static <R> void end(Span span, R response, Throwable failure, TagExtractor<R> tags) {
    if (span == null) {
      return;
    }
    if (failure != null && span.isRecording()) {
      span.recordException(failure);
    }
    tag(span, response, tags);
    span.end();
  }
}
