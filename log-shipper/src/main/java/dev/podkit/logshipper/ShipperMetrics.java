package dev.podkit.logshipper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * log-shipper's meters: bytes read, lines and bytes sent, sink latency, retries and drops by
 * reason (zero unless a destination refuses data for good), files followed, bytes waiting in
 * memory and behind the end of the files (lag), and pauses of reading while the sink is behind.
 */
final class ShipperMetrics implements SinkEvents {
  private final MeterRegistry registry;
  private final Counter read;
  private final Counter sentLines;
  private final Counter sentBytes;
  private final Counter paused;
  private final Counter parseErrors;
  private final Timer latency;
  private final AtomicLong files = new AtomicLong();
  private final dev.podkit.runtime.Log log = dev.podkit.runtime.Log.named("log-shipper");
  private long lastRetryLogNanos;

  ShipperMetrics(MeterRegistry registry, LongSupplier queuedBytes, LongSupplier lagBytes) {
    this.registry = registry;
    read = Counter.builder("podkit_log_shipper_read").baseUnit("bytes").description("Bytes read from files").register(registry);
    sentLines = Counter.builder("podkit_log_shipper_sent_lines").description("Lines acknowledged by the sink").register(registry);
    sentBytes = Counter.builder("podkit_log_shipper_sent").baseUnit("bytes").description("Line bytes acknowledged by the sink").register(registry);
    paused = Counter.builder("podkit_log_shipper_read_pauses").description("Polls skipped because the memory limit was reached").register(registry);
    parseErrors = Counter.builder("podkit_log_shipper_parse_errors")
        .description("Lines that did not match --format, shipped raw").register(registry);
    latency = Timer.builder("podkit_log_shipper_sink_latency").description("Time to deliver a batch, retries included").register(registry);
    Gauge.builder("podkit_log_shipper_files", files, AtomicLong::get).description("Files followed").register(registry);
    Gauge.builder("podkit_log_shipper_queued_bytes", queuedBytes::getAsLong).description("Line bytes read and not yet acknowledged").register(registry);
    Gauge.builder("podkit_log_shipper_lag_bytes", lagBytes::getAsLong).description("Bytes behind the end of the files followed").register(registry);
    registry.counter("podkit_log_shipper_retries");
  }

  void read(int bytes) {
    read.increment(bytes);
  }

  void parseError() {
    parseErrors.increment();
  }

  void paused() {
    paused.increment();
  }

  void files(int n) {
    files.set(n);
  }

  void sent(Batch batch, long nanos) {
    sentLines.increment(batch.lines());
    sentBytes.increment(batch.bytes());
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried(String reason) {
    registry.counter("podkit_log_shipper_retries").increment();
    long now = System.nanoTime();
    // One line per 10 s while a destination stays down.
    if (now - lastRetryLogNanos > 10_000_000_000L) {
      lastRetryLogNanos = now;
      log.warn("sink failed; retrying", "reason", reason);
    }
  }

  @Override
  public void rejected(int events, String reason) {
    registry.counter("podkit_log_shipper_dropped_lines", "reason", reason).increment(events);
    log.error("sink refused lines for good; dropped", "lines", events, "reason", reason);
  }
}
