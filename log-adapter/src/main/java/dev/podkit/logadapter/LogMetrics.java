package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.BucketHistogram;
import dev.podkit.runtime.Metrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Turns adapter events into meters: the adapter's own work (lines and bytes read, parse errors,
 * cut lines, invalid UTF-8, output bytes and errors) and the metrics the logs carry, the classic
 * adapter job: events by severity, access-log responses by status class, and a request-duration
 * histogram when the format has a duration.
 *
 * <p>The counts are kept here, from the start, and exported by {@link #bindTo} into the registry
 * made at the first scrape: the registry and the JVM meters cost a tenth of a second of CPU at
 * start-up, which a short `tail | log-adapter` job should not pay when nothing scrapes it.
 */
final class LogMetrics implements AdapterEvents, MeterBinder {
  private static final Severity[] SEVERITIES = Severity.values();
  private final String format;
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong parseErrors = new AtomicLong();
  private final AtomicLong truncated = new AtomicLong();
  private final AtomicLong invalidUtf8 = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  /** By severity ordinal; the last is for none. */
  private final AtomicLongArray bySeverity = new AtomicLongArray(SEVERITIES.length + 1);
  private final AtomicLongArray byStatusClass = new AtomicLongArray(6);
  private final AtomicLong outputRetried = new AtomicLong();
  private final AtomicLong outputDropped = new AtomicLong();
  private final BucketHistogram duration = new BucketHistogram("podkit_log_adapter_http_request_duration",
      "Request durations found in access logs", "log-adapter", 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
  private final dev.podkit.runtime.Log log = dev.podkit.runtime.Log.named("log-adapter");
  private long lastErrorLogNanos;
  // Counted here per line and added to the shared counts at each output flush: an atomic update
  // per line would cost more than the line's parse. Only the pipeline thread touches these.
  private long pendingLines;
  private long pendingBytes;
  private final long[] pendingSeverity = new long[SEVERITIES.length + 1];
  private final long[] pendingStatus = new long[6];

  LogMetrics(String format) {
    this.format = format;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Metrics.counter("podkit_log_adapter_lines_read", "Lines read", lines).register(registry);
    Metrics.counter("podkit_log_adapter_read", "Bytes read, newlines excluded", bytes).baseUnit("bytes").register(registry);
    Metrics.counter("podkit_log_adapter_parse_errors", "Lines that did not match the format, written with their raw text",
        parseErrors).tag("format", format).register(registry);
    Metrics.counter("podkit_log_adapter_lines_truncated", "Lines cut at the maximum length", truncated).register(registry);
    Metrics.counter("podkit_log_adapter_invalid_utf8", "Invalid UTF-8 sequences replaced by U+FFFD", invalidUtf8)
        .register(registry);
    Metrics.counter("podkit_log_adapter_output", "JSON bytes handed to the output", written).baseUnit("bytes")
        .register(registry);
    for (int k = 0; k <= SEVERITIES.length; k++) {
      int at = k;
      FunctionCounter.builder("podkit_log_adapter_events", bySeverity, a -> a.get(at))
          .tag("severity", k == SEVERITIES.length ? "none" : SEVERITIES[k].name().toLowerCase(Locale.ROOT))
          .description("Events written, by severity").register(registry);
    }
    for (int c = 1; c <= 5; c++) {
      int at = c;
      FunctionCounter.builder("podkit_log_adapter_http_responses", byStatusClass, a -> a.get(at))
          .tag("status_class", c + "xx").description("Access-log responses by status class").register(registry);
    }
    Metrics.counter("podkit_log_adapter_output_errors", "Output failures", outputRetried).tag("outcome", "retried")
        .register(registry);
    Metrics.counter("podkit_log_adapter_output_errors", "Output failures", outputDropped).tag("outcome", "dropped")
        .register(registry);
    duration.bindTo(registry);
  }

  @Override
  public void lineRead(int n) {
    pendingLines++;
    pendingBytes += n;
  }

  @Override
  public void linesRead(long n, long byteCount) {
    pendingLines += n;
    pendingBytes += byteCount;
  }

  @Override
  public void events(Severity severity, long n) {
    pendingSeverity[severity == null ? pendingSeverity.length - 1 : severity.ordinal()] += n;
  }

  @Override
  public void parseError() {
    parseErrors.incrementAndGet();
  }

  @Override
  public void lineTruncated() {
    truncated.incrementAndGet();
  }

  @Override
  public void invalidUtf8(long n) {
    invalidUtf8.addAndGet(n);
  }

  @Override
  public void event(LogRecord r, Severity severity) {
    pendingSeverity[severity == null ? pendingSeverity.length - 1 : severity.ordinal()]++;
    int status = r.indexOf(Fields.STATUS);
    if (status >= 0 && r.kind(status) == LogRecord.Kind.LONG) {
      long c = r.longValue(status) / 100;
      if (c >= 1 && c <= 5) {
        pendingStatus[(int) c]++;
      }
    }
    int d = r.indexOf(Fields.DURATION);
    if (d >= 0 && r.kind(d) == LogRecord.Kind.DOUBLE) {
      duration.record(r.doubleValue(d));
    }
  }

  @Override
  public void written(int n) {
    written.addAndGet(n);
    publish();
  }

  /** Adds what was counted since the last call to the shared counts. */
  void publish() {
    lines.addAndGet(pendingLines);
    bytes.addAndGet(pendingBytes);
    pendingLines = 0;
    pendingBytes = 0;
    for (int i = 0; i < pendingSeverity.length; i++) {
      if (pendingSeverity[i] != 0) {
        bySeverity.addAndGet(i, pendingSeverity[i]);
        pendingSeverity[i] = 0;
      }
    }
    for (int c = 1; c <= 5; c++) {
      if (pendingStatus[c] != 0) {
        byStatusClass.addAndGet(c, pendingStatus[c]);
        pendingStatus[c] = 0;
      }
    }
  }

  @Override
  public void outputError(String reason, boolean dropped) {
    (dropped ? outputDropped : outputRetried).incrementAndGet();
    long now = System.nanoTime();
    // One line per 10 s at most: a down endpoint retried every second must not flood the log.
    if (dropped || now - lastErrorLogNanos > 10_000_000_000L) {
      lastErrorLogNanos = now;
      if (dropped) {
        log.error("output refused a batch; dropped", "reason", reason);
      } else {
        log.warn("output failed; retrying", "reason", reason);
      }
    }
  }
}
