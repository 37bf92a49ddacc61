package dev.podkit.runtime;

import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import io.micrometer.common.util.internal.logging.JdkLoggerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Creates the Prometheus registry a helper exports on {@code /metrics}. */
public final class Metrics {
  private Metrics() {}

  /**
   * A registry whose every meter carries {@code image=<image>}, with the JVM's memory, GC,
   * threads and classes, and the process's CPU, file descriptors and uptime.
   */
  public static PrometheusMeterRegistry prometheus(String image) {
    // Micrometer's own logging goes to java.util.logging (as it would find anyway: SLF4J is not
    // on the class path), named here so that it does not probe for SLF4J first: the probe opens
    // a jar and fails to link a class, which no AOT cache can hold (about 30 ms of a start).
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("image", image);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /**
   * The same registry, made at the first call (the first scrape) with {@code binders} bound. For
   * a short-lived helper: the registry and the JVM's management cost tens of milliseconds of
   * CPU, which an init container that is never scraped should not pay. Values a binder exports
   * must be kept by the helper from the start (counters it owns), not recorded into meters.
   */
  public static Supplier<PrometheusMeterRegistry> lazyPrometheus(String image, MeterBinder... binders) {
    return new Supplier<>() {
      private PrometheusMeterRegistry registry; // guarded by this

      @Override
      public synchronized PrometheusMeterRegistry get() {
        if (registry == null) {
          PrometheusMeterRegistry r = prometheus(image);
          for (MeterBinder b : binders) {
            b.bindTo(r);
          }
          registry = r;
        }
        return registry;
      }
    };
  }

  /**
   * A counter that reads {@code count}, which the helper keeps itself from the start (see {@link
   * #lazyPrometheus}); add tags or a unit, then register it.
   */
  public static FunctionCounter.Builder<AtomicLong> counter(String name, String help, AtomicLong count) {
    return FunctionCounter.builder(name, count, AtomicLong::get).description(help);
  }
}
