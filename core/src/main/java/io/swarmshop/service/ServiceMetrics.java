package io.swarmshop.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's Micrometer metrics, but for the HTTP server's per-request figures: those keep their names
 * and labels (method, and code once answered) and go to meters resolved once per method and status.
 * Micrometer's own version resolves five meters from their tags again on every request, which cost
 * more CPU than anything else the gateway adds to a forwarded call. Response times go to a
 * {@link DurationHistogram} of the same name, by service, method and code.
 */
final class ServiceMetrics implements VertxMetrics {
  private final VertxMetrics micrometer;
  private final MeterRegistry registry;
  private final DurationHistogram responseTimes;
  private final String service;
  private final MetricsNaming names;
  private final ConcurrentMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

  ServiceMetrics(VertxMetrics micrometer, MeterRegistry registry, String service, MetricsNaming naming) {
    this.micrometer = micrometer;
    this.registry = registry;
    this.service = service;
    this.responseTimes = DurationHistogram.register(registry, "vertx_http_server_response_time_seconds", "Request processing time");
    this.names = naming.withBaseName(MetricsDomain.HTTP_SERVER.getPrefix());
  }

  /** Micrometer's server metrics still count connections and bytes: those are per connection, not per request. */
  @Override
  @SuppressWarnings("unchecked")
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    HttpServerMetrics<?, ?, ?> connections = micrometer.createHttpServerMetrics(options, localAddress);
    return connections == null ? null : new RequestMetrics((HttpServerMetrics<Object, Object, Object>) connections);
  }

  @Override
  public EventBusMetrics<?> createEventBusMetrics() {
    return micrometer.createEventBusMetrics();
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return micrometer.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    return micrometer.createHttpClientMetrics(options);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
    return micrometer.createNetServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return micrometer.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return micrometer.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
    return micrometer.createPoolMetrics(type, name, maxSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    micrometer.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return micrometer.isMetricsEnabled();
  }

  @Override
  public void close() {
    micrometer.close();
  }

  private MethodMeters methodMeters(String method) {
    Tags tags = Tags.of(Label.HTTP_METHOD.toString(), method);
    LongAdder active = new LongAdder();
    Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
      .description("Number of requests being processed").tags(tags).strongReference(true).register(registry);
    return new MethodMeters(method, tags, active,
      DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes").tags(tags).register(registry),
      Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets").tags(tags).register(registry),
      new ConcurrentHashMap<>());
  }

  private StatusMeters statusMeters(MethodMeters method, int status) {
    StatusMeters meters = method.byStatus().get(status);
    return meters != null ? meters : method.byStatus().computeIfAbsent(status, code -> {
      Tags answered = method.tags().and(Label.HTTP_CODE.toString(), String.valueOf(code));
      return new StatusMeters(
        Counter.builder(names.getHttpRequestsCount()).description("Number of processed requests").tags(answered).register(registry),
        responseTimes.series("service", service, "method", method.method(), "code", String.valueOf(code)),
        DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes").tags(answered).register(registry));
    });
  }

  private record MethodMeters(String method, Tags tags, LongAdder active, DistributionSummary requestBytes, Counter resets,
                              ConcurrentMap<Integer, StatusMeters> byStatus) {}

  private record StatusMeters(Counter requests, DurationHistogram.Series responseTime, DistributionSummary responseBytes) {}

  /** One request in flight: it stops being active once both it and its response have ended, or it was reset. */
  private static final class Exchange {
    final MethodMeters meters;
    final long startedNanos = System.nanoTime();
    private int ended;

    Exchange(MethodMeters meters) {
      this.meters = meters;
    }

    /** The request or its response ended. */
    void end() {
      if (++ended == 2) {
        meters.active().decrement();
      }
    }

    /** Both ended at once, unless they already had. */
    void reset() {
      if (ended < 2) {
        ended = 2;
        meters.active().decrement();
      }
    }
  }

  private final class RequestMetrics implements HttpServerMetrics<Exchange, Object, Object> {
    private final HttpServerMetrics<Object, Object, Object> connections;

    RequestMetrics(HttpServerMetrics<Object, Object, Object> connections) {
      this.connections = connections;
    }

    @Override
    public Exchange requestBegin(Object socketMetric, HttpRequest request) {
      String method = request.method().name();
      MethodMeters meters = byMethod.get(method);
      if (meters == null) {
        meters = byMethod.computeIfAbsent(method, ServiceMetrics.this::methodMeters);
      }
      meters.active().increment();
      return new Exchange(meters);
    }

    @Override
    public void requestEnd(Exchange exchange, HttpRequest request, long bytesRead) {
      exchange.meters.requestBytes().record(bytesRead);
      exchange.end();
    }

    @Override
    public void requestReset(Exchange exchange) {
      exchange.meters.resets().increment();
      exchange.reset();
    }

    @Override
    public void responseEnd(Exchange exchange, HttpResponse response, long bytesWritten) {
      StatusMeters meters = statusMeters(exchange.meters, response.statusCode());
      meters.requests().increment();
      meters.responseTime().record(System.nanoTime() - exchange.startedNanos);
      meters.responseBytes().record(bytesWritten);
      exchange.end();
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      return connections.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
      connections.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      connections.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      connections.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
      connections.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      connections.close();
    }
  }
}
