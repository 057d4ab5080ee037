package io.swarmshop.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations in fixed buckets from 5 ms to 5 s: what a p50 or p99 is computed
 * from. A duration adds to one striped counter of its bucket and to the sum; the buckets are read
 * only when Prometheus scrapes. Micrometer's timer with the same buckets cost a tenth of the requests
 * a second (docs/performance.md). It is scraped with the Micrometer registry it is registered beside.
 */
public final class DurationHistogram implements Collector {
  private static final double[] BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};
  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length - 1];

  static {
    for (int i = 0; i < BOUNDS_NANOS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  private final String name;
  private final String help;
  private final PrometheusRegistry registry;
  private final List<Series> series = new CopyOnWriteArrayList<>();

  private DurationHistogram(String name, String help, PrometheusRegistry registry) {
    this.name = name;
    this.help = help;
    this.registry = registry;
  }

  /**
   * A histogram named {@code name} (in Prometheus's form, ending in {@code _seconds}) in the scrape of
   * {@code meters}; with a registry that is not Prometheus's, it records but is shown nowhere.
   */
  public static DurationHistogram register(MeterRegistry meters, String name, String help) {
    PrometheusRegistry registry = meters instanceof PrometheusMeterRegistry prometheus ? prometheus.getPrometheusRegistry() : null;
    DurationHistogram histogram = new DurationHistogram(name, help, registry);
    if (registry != null) {
      registry.register(histogram);
    }
    return histogram;
  }

  /** The series of these labels (name, value, name, value...); made once for each, then kept by the caller. */
  public Series series(String... labels) {
    Series made = new Series(Labels.of(labels));
    series.add(made);
    return made;
  }

  /** Takes a series out of the scrape, as when what it measured is gone. */
  public void remove(Series gone) {
    series.remove(gone);
  }

  /** Takes the whole histogram out of the scrape. */
  public void close() {
    if (registry != null) {
      registry.unregister(this);
    }
  }

  @Override
  public String getPrometheusName() {
    return name;
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(help);
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

  /** The durations of one set of labels, by bucket. */
  public static final class Series {
    private final Labels labels;
    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length];
    private final LongAdder sumNanos = new LongAdder();

    private Series(Labels labels) {
      this.labels = labels;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    public void record(long nanos) {
      int bucket = 0;
      while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
        bucket++;
      }
      buckets[bucket].increment();
      sumNanos.add(nanos);
    }
  }
}
