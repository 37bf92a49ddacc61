package dev.podkit.logshipper;

/**
 * What sinks report. The production implementation turns these into meters and rate-limited
 * log lines; tests record them. Every method has a no-op default.
 */
public interface SinkEvents {
  /** {@code events} events ({@code bytes} bytes of messages) were acknowledged after {@code nanos}. */
  default void delivered(int events, long bytes, long nanos) {}

  /** An attempt failed for {@code reason} (refused, status 503, timeout...); it will be retried. */
  default void retried(String reason) {}

  /** {@code events} events were refused for good for {@code reason}; they are not retried. */
  default void rejected(int events, String reason) {}

  /** {@code sequences} invalid UTF-8 sequences were written as U+FFFD into JSON for the sink. */
  default void invalidUtf8(long sequences) {}

  SinkEvents NONE = new SinkEvents() {};
}
