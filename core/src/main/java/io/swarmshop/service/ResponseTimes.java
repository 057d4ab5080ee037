package io.swarmshop.service;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's response times as a Prometheus histogram, {@code vertx_http_server_response_time_seconds}
 * by service, method and code, in fixed buckets from 5 ms to 5 s: what a p50 or p99 is computed from.
 * A response adds to one striped counter and to the sum; the buckets are read only when Prometheus
 * scrapes. Micrometer's timer with the same buckets cost a tenth of the requests a second
 * (docs/performance.md).
 */
final class ResponseTimes implements Collector {
  static final String NAME = "vertx_http_server_response_time_seconds";
  private static final double[] BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};
  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length - 1];

  static {
    for (int i = 0; i < BOUNDS_NANOS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  private final String service;
  private final List<Series> series = new CopyOnWriteArrayList<>();

  ResponseTimes(String service) {
    this.service = service;
  }

  /** The series of one method and status; made once for each, then kept by the caller. */
  Series series(String method, int code) {
    Series made = new Series(Labels.of("service", service, "method", method, "code", String.valueOf(code)));
    series.add(made);
    return made;
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(NAME).help("Request processing time");
    for (Series one : series) {
      long[] counts = new long[BOUNDS_SECONDS.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = one.buckets[i].sum();
      }
      histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
        .labels(one.labels)
        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts))
        .sum(one.sumNanos.sum() / 1e9)
        .build());
    }
    return histogram.build();
  }

  /** The responses of one method and status, by bucket. */
  static final class Series {
    private final Labels labels;
    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length];
    private final LongAdder sumNanos = new LongAdder();

    private Series(Labels labels) {
      this.labels = labels;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void record(long nanos) {
      int bucket = 0;
      while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
        bucket++;
      }
      buckets[bucket].increment();
      sumNanos.add(nanos);
    }
  }
}
