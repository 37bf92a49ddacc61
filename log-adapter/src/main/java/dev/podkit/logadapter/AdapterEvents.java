package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.LogRecord;

/**
 * What the adapter reports as lines go through. The production implementation ({@link
 * LogMetrics}) counts them for {@code /metrics}; tests record them. Called from the pipeline
 * thread only. Every method has a no-op default.
 */
interface AdapterEvents {
  /** A line was read ({@code bytes} without its newline). */
  default void lineRead(int bytes) {}

  /** {@code lines} lines were read ({@code bytes} without newlines), in bulk: the fast wrap reports so. */
  default void linesRead(long lines, long bytes) {}

  /** {@code n} events of a format without fields were written with {@code severity} (null: none). */
  default void events(Severity severity, long n) {}

  /** A line did not match the input format; it was written with its raw text as message. */
  default void parseError() {}

  /** A line was longer than the maximum and was cut. */
  default void lineTruncated() {}

  /** {@code n} invalid UTF-8 sequences were replaced by U+FFFD. */
  default void invalidUtf8(long n) {}

  /** An event was written with {@code severity} (null: none known). */
  default void event(LogRecord record, Severity severity) {}

  /** {@code bytes} of JSON lines were handed to the output. */
  default void written(int bytes) {}

  /** The output failed ({@code reason}: refused, status 503, rejected...) and will retry, or dropped. */
  default void outputError(String reason, boolean dropped) {}
}
