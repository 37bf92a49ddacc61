package dev.podkit.filetail;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a {@link MultilineJoiner} groups lines into events.
 *
 * @param start a line in which this pattern is found begins a new event; any other line continues
 *     the current one (anchor it with {@code ^}). Matched against the line's bytes read as
 *     ISO-8859-1, so keep it ASCII.
 * @param maxLines the most lines in one event; the next line begins a continuation event
 * @param maxBytes the most bytes in one event (newlines included); a line that would pass it
 *     begins a continuation event. A single longer line is an event of its own.
 * @param flushTimeout how long an event waits for more lines before it is emitted
 */
public record MultilineOptions(Pattern start, int maxLines, int maxBytes, Duration flushTimeout) {
  /**
   * Begins an event at any line that is not part of a Java stack trace: not indented ({@code \tat
   * ...}, {@code \t... 5 more}), not {@code Caused by:}, not {@code ... 5 more}.
   */
  public static final Pattern JAVA_STACK_TRACE_START =
      Pattern.compile("^(?![ \\t]|Caused by:|Suppressed:|\\.\\.\\. \\d+ (more|common frames omitted))");

  public MultilineOptions {
    if (start == null) throw new IllegalArgumentException("start is null");
    if (maxLines < 1) throw new IllegalArgumentException("maxLines < 1: " + maxLines);
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
    if (!flushTimeout.isPositive()) throw new IllegalArgumentException("flushTimeout <= 0: " + flushTimeout);
  }

  /** Java stack traces: 500 lines, 512 KiB, 4 s. */
  public static MultilineOptions javaStackTraces() {
    return new MultilineOptions(JAVA_STACK_TRACE_START, 500, 512 * 1024, Duration.ofSeconds(4));
  }
}
