package dev.podkit.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A classic Prometheus histogram of seconds with fixed bucket bounds, recorded from the start and
 * exported once bound to a registry: for a helper whose registry is made at the first scrape
 * ({@link Metrics#lazyPrometheus}), where a Micrometer timer could not exist yet. Thread-safe.
 */
public final class BucketHistogram implements MeterBinder {
  private final String name;
  private final String help;
  private final Labels labels;
  /** Upper bounds, ascending, +Inf last. */
  private final double[] bounds;
  /** Observations per bucket, not cumulative. */
  private final AtomicLongArray counts;
  private final DoubleAdder sum = new DoubleAdder();

  /**
   * @param name the base name, without {@code _seconds}
   * @param image the {@code image} label every podkit meter carries
   */
  public BucketHistogram(String name, String help, String image, double... upperBounds) {
    for (int i = 1; i < upperBounds.length; i++) {
      if (!(upperBounds[i] > upperBounds[i - 1])) {
        throw new IllegalArgumentException("bounds not ascending: " + Arrays.toString(upperBounds));
      }
    }
    this.name = name;
    this.help = help;
    this.labels = Labels.of("image", image);
    this.bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
    bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    this.counts = new AtomicLongArray(bounds.length);
  }

  public void record(double seconds) {
    int i = Arrays.binarySearch(bounds, seconds);
    counts.incrementAndGet(i >= 0 ? i : -i - 1);
    sum.add(seconds);
  }

  /** Registers the histogram with {@code registry}'s Prometheus registry; other registries get nothing. */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      prometheus.getPrometheusRegistry().register(this::snapshot);
    }
  }

  HistogramSnapshot snapshot() {
    long[] now = new long[bounds.length];
    for (int i = 0; i < now.length; i++) {
      now[i] = counts.get(i);
    }
    return new HistogramSnapshot(new MetricMetadata(name + "_seconds", help, Unit.SECONDS), List.of(
        new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, now), sum.sum(), labels,
            Exemplars.EMPTY, 0L)));
  }
}
