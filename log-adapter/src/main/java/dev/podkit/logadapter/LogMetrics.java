package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns adapter events into meters: the adapter's own work (lines and bytes read, parse errors,
 * cut lines, invalid UTF-8, output bytes and errors) and the metrics the logs carry, the classic
 * adapter job: events by severity, access-log responses by status class, and a request-duration
 * histogram when the format has a duration.
 */
final class LogMetrics implements AdapterEvents {
  private final Counter lines;
  private final Counter bytes;
  private final Counter parseErrors;
  private final Counter truncated;
  private final Counter invalidUtf8;
  private final Counter written;
  private final Map<Severity, Counter> bySeverity = new EnumMap<>(Severity.class);
  private final Counter noSeverity;
  private final Counter[] byStatusClass = new Counter[6];
  private final Timer duration;
  private final MeterRegistry registry;
  private final dev.podkit.runtime.Log log = dev.podkit.runtime.Log.named("log-adapter");
  private long lastErrorLogNanos;
  // Counted here per line and added to the meters at each output flush: a meter update per line
  // would cost more than the line's parse. Only the pipeline thread touches these.
  private long pendingLines;
  private long pendingBytes;
  private final long[] pendingSeverity = new long[Severity.values().length + 1];
  private final long[] pendingStatus = new long[6];

  LogMetrics(MeterRegistry registry, String format) {
    this.registry = registry;
    lines = Counter.builder("podkit_log_adapter_lines_read").description("Lines read").register(registry);
    bytes = Counter.builder("podkit_log_adapter_read").baseUnit("bytes").description("Bytes read, newlines excluded").register(registry);
    parseErrors = Counter.builder("podkit_log_adapter_parse_errors").tag("format", format)
        .description("Lines that did not match the format, written with their raw text").register(registry);
    truncated = Counter.builder("podkit_log_adapter_lines_truncated").description("Lines cut at the maximum length").register(registry);
    invalidUtf8 = Counter.builder("podkit_log_adapter_invalid_utf8").description("Invalid UTF-8 sequences replaced by U+FFFD").register(registry);
    written = Counter.builder("podkit_log_adapter_output").baseUnit("bytes").description("JSON bytes handed to the output").register(registry);
    for (Severity s : Severity.values()) {
      bySeverity.put(s, Counter.builder("podkit_log_adapter_events").tag("severity", s.name().toLowerCase(java.util.Locale.ROOT))
          .description("Events written, by severity").register(registry));
    }
    noSeverity = Counter.builder("podkit_log_adapter_events").tag("severity", "none").register(registry);
    for (int c = 1; c <= 5; c++) {
      byStatusClass[c] = Counter.builder("podkit_log_adapter_http_responses").tag("status_class", c + "xx")
          .description("Access-log responses by status class").register(registry);
    }
    duration = Timer.builder("podkit_log_adapter_http_request_duration")
        .description("Request durations found in access logs")
        .serviceLevelObjectives(millis(5), millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
            millis(1000), millis(2500), millis(5000), millis(10000))
        .register(registry);
  }

  private static java.time.Duration millis(long ms) {
    return java.time.Duration.ofMillis(ms);
  }

  @Override
  public void lineRead(int n) {
    pendingLines++;
    pendingBytes += n;
  }

  @Override
  public void parseError() {
    parseErrors.increment();
  }

  @Override
  public void lineTruncated() {
    truncated.increment();
  }

  @Override
  public void invalidUtf8(long n) {
    invalidUtf8.increment(n);
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
      duration.record((long) (r.doubleValue(d) * 1e9), java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void written(int n) {
    written.increment(n);
    publish();
  }

  /** Adds what was counted since the last call to the meters. */
  void publish() {
    lines.increment(pendingLines);
    bytes.increment(pendingBytes);
    pendingLines = 0;
    pendingBytes = 0;
    Severity[] all = Severity.values();
    for (int i = 0; i < pendingSeverity.length; i++) {
      if (pendingSeverity[i] != 0) {
        (i == all.length ? noSeverity : bySeverity.get(all[i])).increment(pendingSeverity[i]);
        pendingSeverity[i] = 0;
      }
    }
    for (int c = 1; c <= 5; c++) {
      if (pendingStatus[c] != 0) {
        byStatusClass[c].increment(pendingStatus[c]);
        pendingStatus[c] = 0;
      }
    }
  }

  @Override
  public void outputError(String reason, boolean dropped) {
    String kind = dropped ? "dropped" : "retried";
    registry.counter("podkit_log_adapter_output_errors", "outcome", kind).increment();
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
