package dev.podkit.logshipper;

import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.TailEvents;
import dev.podkit.runtime.BucketHistogram;
import dev.podkit.runtime.Log;
import dev.podkit.runtime.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * log-shipper's meters: lines and bytes read, lines and bytes sent, sink latency, retries and
 * drops by reason (zero unless a destination refuses data for good), lines longer than the
 * maximum and partial lines flushed, files followed, bytes waiting in memory and behind the end
 * of the files (lag, in all and per file), pauses of reading while the sink is behind, and
 * invalid UTF-8 replaced in JSON output.
 *
 * <p>The counts are kept here from the start and exported by {@link #bindTo} into the registry
 * made at the first scrape ({@code Metrics.lazyPrometheus}): the registry and the JVM's meters
 * cost tens of milliseconds of CPU at start-up, which a shipper nobody scrapes (or not yet)
 * should not pay.
 */
final class ShipperMetrics implements SinkEvents, TailEvents, MeterBinder {
  private final LongSupplier queuedBytes;
  private final LongSupplier lagBytes;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong readLines = new AtomicLong();
  private final AtomicLong longLinesSplit = new AtomicLong();
  private final AtomicLong longLinesTruncated = new AtomicLong();
  private final AtomicLong skippedBytes = new AtomicLong();
  private final AtomicLong partialLinesFlushed = new AtomicLong();
  private final AtomicLong sentLines = new AtomicLong();
  private final AtomicLong sentBytes = new AtomicLong();
  private final AtomicLong paused = new AtomicLong();
  private final AtomicLong parseErrors = new AtomicLong();
  private final AtomicLong invalidUtf8 = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong files = new AtomicLong();
  private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
  /** Each followed file's lag by path, set by the tailing thread at each scan. */
  private final Map<String, AtomicLong> fileLags = new ConcurrentHashMap<>();
  /** The per-file lag gauges in the registry, by path; guarded by this (the scrape's thread). */
  private final Map<String, Gauge> fileLagGauges = new HashMap<>();
  private final BucketHistogram latency = new BucketHistogram("podkit_log_shipper_sink_latency",
      "Time to deliver a batch, retries included", "log-shipper",
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);
  private final Log log = Log.named("log-shipper");
  /** The registry once bound (the first scrape), for drop reasons seen after it. */
  private volatile MeterRegistry bound;
  private long lastRetryLogNanos;

  ShipperMetrics(LongSupplier queuedBytes, LongSupplier lagBytes) {
    this.queuedBytes = queuedBytes;
    this.lagBytes = lagBytes;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "podkit_log_shipper_read", "Bytes read from files", read, "bytes");
    counter(registry, "podkit_log_shipper_read_lines", "Lines (events, with multiline) read into batches", readLines, null);
    counter(registry, "podkit_log_shipper_sent_lines", "Lines acknowledged by the sink", sentLines, null);
    counter(registry, "podkit_log_shipper_sent", "Line bytes acknowledged by the sink", sentBytes, "bytes");
    String longHelp = "Lines longer than --max-line-bytes, by what became of them (--long-lines)";
    Metrics.counter("podkit_log_shipper_long_lines", longHelp, longLinesSplit).tag("action", "split")
        .register(registry);
    Metrics.counter("podkit_log_shipper_long_lines", longHelp, longLinesTruncated).tag("action", "truncated")
        .register(registry);
    counter(registry, "podkit_log_shipper_skipped", "Bytes of truncated lines not shipped", skippedBytes, "bytes");
    counter(registry, "podkit_log_shipper_partial_lines_flushed",
        "Last lines without a newline shipped as they were after --partial-line-flush", partialLinesFlushed, null);
    counter(registry, "podkit_log_shipper_read_pauses", "Polls skipped because the memory limit was reached", paused, null);
    counter(registry, "podkit_log_shipper_parse_errors", "Lines that did not match --format, shipped raw", parseErrors, null);
    counter(registry, "podkit_log_shipper_invalid_utf8",
        "Invalid UTF-8 sequences written as U+FFFD into JSON (raw stdout passes bytes unchanged)", invalidUtf8, null);
    counter(registry, "podkit_log_shipper_retries", "Delivery attempts that failed and were retried", retries, null);
    Gauge.builder("podkit_log_shipper_files", files, AtomicLong::get).description("Files followed").register(registry);
    Gauge.builder("podkit_log_shipper_queued_bytes", queuedBytes::getAsLong).description("Line bytes read and not yet acknowledged").register(registry);
    Gauge.builder("podkit_log_shipper_lag_bytes", lagBytes::getAsLong).description("Bytes behind the end of the files followed").register(registry);
    latency.bindTo(registry);
    bound = registry; // before the walk: a reason added meanwhile is registered by one or the other
    dropped.forEach((reason, n) -> dropCounter(registry, reason, n));
  }

  private static void counter(MeterRegistry registry, String name, String help, AtomicLong n, String unit) {
    Metrics.counter(name, help, n).baseUnit(unit).register(registry);
  }

  private static void dropCounter(MeterRegistry registry, String reason, AtomicLong n) {
    // Registering a reason again returns the meter registered first.
    Metrics.counter("podkit_log_shipper_dropped_lines", "Lines a destination refused for good, by reason", n)
        .tag("reason", reason).register(registry);
  }

  void read(int bytes) {
    read.addAndGet(bytes);
  }

  void readLines(long lines) {
    readLines.addAndGet(lines);
  }

  @Override
  public void lineCut(Path path, int flags) {
    ((flags & LineFlags.TRUNCATED) != 0 ? longLinesTruncated : longLinesSplit).incrementAndGet();
  }

  @Override
  public void bytesSkipped(Path path, long bytes) {
    skippedBytes.addAndGet(bytes);
  }

  @Override
  public void partialLineFlushed(Path path, int bytes) {
    partialLinesFlushed.incrementAndGet();
  }

  void parseError() {
    parseErrors.incrementAndGet();
  }

  void paused() {
    paused.incrementAndGet();
  }

  void files(int n) {
    files.set(n);
  }

  /** Where {@code path}'s lag is kept while it is followed (set it at each scan). */
  AtomicLong fileLag(String path) {
    return fileLags.computeIfAbsent(path, p -> new AtomicLong());
  }

  /** {@code path} is no longer followed: its lag series goes at the next scrape. */
  void fileLetGo(String path) {
    fileLags.remove(path);
  }

  /**
   * Brings the per-file lag series in {@code registry} in line with the files followed now: one
   * {@code podkit_log_shipper_file_lag_bytes{path}} per file, added and removed as files come
   * and go. Called before each scrape, so nothing is done per file while nobody scrapes.
   */
  synchronized void syncFileLags(MeterRegistry registry) {
    fileLagGauges.entrySet().removeIf(e -> {
      if (fileLags.containsKey(e.getKey())) return false;
      registry.remove(e.getValue());
      return true;
    });
    for (String path : fileLags.keySet()) {
      fileLagGauges.computeIfAbsent(path, p -> Gauge.builder("podkit_log_shipper_file_lag_bytes", fileLags, m -> {
        AtomicLong lag = m.get(p);
        return lag == null ? 0 : lag.get();
      }).description("Bytes behind the end of one followed file: its size less the end of the lines read from it")
          .tag("path", p).strongReference(true).register(registry));
    }
  }

  /** A batch was delivered (acknowledged, or what was refused of it dropped) in {@code nanos}. */
  void batchDone(long nanos) {
    latency.record(nanos / 1e9);
  }

  /** Lines the sink acknowledged: what was refused and dropped is not sent. */
  @Override
  public void delivered(int events, long bytes, long nanos) {
    sentLines.addAndGet(events);
    sentBytes.addAndGet(bytes);
  }

  @Override
  public void retried(String reason) {
    retries.incrementAndGet();
    long now = System.nanoTime();
    // One line per 10 s while a destination stays down.
    if (now - lastRetryLogNanos > 10_000_000_000L) {
      lastRetryLogNanos = now;
      log.warn("sink failed; retrying", "reason", reason);
    }
  }

  @Override
  public void invalidUtf8(long sequences) {
    if (sequences > 0) {
      invalidUtf8.addAndGet(sequences);
    }
  }

  @Override
  public void rejected(int events, String reason) {
    AtomicLong n = dropped.computeIfAbsent(reason, r -> new AtomicLong());
    n.addAndGet(events);
    MeterRegistry registry = bound;
    if (registry != null) {
      dropCounter(registry, reason, n); // a new reason after the first scrape; else the one meter again
    }
    log.error("sink refused lines for good; dropped", "lines", events, "reason", reason);
  }
}
