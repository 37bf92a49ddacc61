package dev.podkit.configsyncer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The syncer's meters, kept in plain counters from the first sync and exported when the registry
 * is made ({@link #bindTo}; at the first scrape, so an init container that nobody scrapes does not
 * pay for the registry): syncs by result, failures by reason, sync duration, the time of the last
 * success, the published version (an info gauge whose {@code version} tag follows the newest),
 * notifications by kind and result.
 */
final class SyncMetrics implements SyncEvents, MeterBinder {
  private static final String PREFIX = "podkit_config_syncer_";

  private final InstantSource clock;
  private final Map<String, LongAdder> syncs = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> notifications = new ConcurrentHashMap<>();
  private final LongAdder syncCount = new LongAdder();
  private final LongAdder syncNanos = new LongAdder();
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private final AtomicLong publishedBytes = new AtomicLong();
  private final AtomicLong publishedFiles = new AtomicLong();
  private volatile String version = "";
  private MeterRegistry registry; // guarded by this
  private Gauge versionGauge; // guarded by this

  SyncMetrics(InstantSource clock) {
    this.clock = clock;
    for (String r : new String[] {"published", "unchanged", "failed"}) syncs.put(r, new LongAdder());
    for (SyncFailure.Reason r : SyncFailure.Reason.values()) failures.put(r.tag(), new LongAdder());
  }

  @Override
  public void unchanged(long nanos) {
    sync("unchanged", nanos);
    lastSuccessMillis.set(clock.millis());
  }

  @Override
  public void published(String version, String folder, int files, long bytes, long nanos) {
    sync("published", nanos);
    lastSuccessMillis.set(clock.millis());
    publishedBytes.set(bytes);
    publishedFiles.set(files);
    this.version = version;
    registerVersion();
  }

  @Override
  public void failed(SyncFailure.Reason reason, String message, long nanos) {
    sync("failed", nanos);
    failures.get(reason.tag()).increment();
  }

  @Override
  public void notified(String kind, String version) {
    notification(kind, "ok");
  }

  @Override
  public void notifyFailed(String kind, String version, String error, int attempt) {
    notification(kind, "failed");
  }

  private void sync(String result, long nanos) {
    syncs.get(result).increment();
    syncCount.increment();
    syncNanos.add(nanos);
  }

  private void notification(String kind, String result) {
    String key = kind + "|" + result;
    LongAdder n = notifications.get(key);
    if (n == null) {
      n = notifications.computeIfAbsent(key, k -> new LongAdder());
      bindNotification(key, n);
    }
    n.increment();
  }

  @Override
  public synchronized void bindTo(MeterRegistry r) {
    registry = r;
    syncs.forEach((result, n) -> FunctionCounter.builder(PREFIX + "syncs", n, LongAdder::sum)
        .description("Syncs by result").tag("result", result).register(r));
    failures.forEach((reason, n) -> FunctionCounter.builder(PREFIX + "failures", n, LongAdder::sum)
        .description("Failed syncs by reason").tag("reason", reason).register(r));
    FunctionTimer.builder(PREFIX + "sync_duration", this, m -> m.syncCount.sum(), m -> m.syncNanos.sum(),
        TimeUnit.NANOSECONDS).description("Time syncs took, fetch to publish").register(r);
    Gauge.builder(PREFIX + "last_success_timestamp_seconds", lastSuccessMillis, v -> v.get() / 1000.0)
        .description("When a sync last succeeded (published or found unchanged), Unix time; 0 before").register(r);
    Gauge.builder(PREFIX + "published_bytes", publishedBytes, AtomicLong::get)
        .description("Bytes in the version this process published last").register(r);
    Gauge.builder(PREFIX + "published_files", publishedFiles, AtomicLong::get)
        .description("Files and folders in the version this process published last").register(r);
    notifications.forEach(this::bindNotification);
    registerVersion();
  }

  private synchronized void bindNotification(String key, LongAdder n) {
    if (registry == null) return;
    int bar = key.indexOf('|');
    FunctionCounter.builder(PREFIX + "notifications", n, LongAdder::sum).description("Notifications by kind and result")
        .tag("kind", key.substring(0, bar)).tag("result", key.substring(bar + 1)).register(registry);
  }

  /** One info gauge, tagged with the newest version only: old versions' series end. */
  private synchronized void registerVersion() {
    if (registry == null || version.isEmpty()) return;
    if (versionGauge != null) {
      if (versionGauge.getId().getTag("version").equals(version)) return;
      registry.remove(versionGauge);
    }
    versionGauge = Gauge.builder(PREFIX + "published_version", () -> 1).tag("version", version)
        .description("1, tagged with the label of the version this process published last").register(registry);
  }
}
