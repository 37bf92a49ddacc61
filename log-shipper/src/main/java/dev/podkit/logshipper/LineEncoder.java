package dev.podkit.logshipper;

import dev.podkit.runtime.JsonOut;

/**
 * Writes lines read from a file straight into a batch's body in a sink's wire form, so that the
 * bulk of the input becomes output with no object per line. A sink that sends such bodies offers
 * one ({@link Sink#encoder}); the shipper uses it where lines need no decoding (raw format, no
 * multiline). Whatever the method, a line is written exactly as the sink would write an
 * {@link Event} of it. Counts what it wrote. Not thread-safe: the tailing thread owns it.
 */
public interface LineEncoder {
  /**
   * Writes the whole lines at the start of {@code src[start, end)}: each ended by a newline,
   * at most {@code maxLineBytes} before it, its trailing CR dropped. Stops at a longer line or an
   * unterminated one, writing nothing of it; returns where it stopped ({@code end} when done).
   *
   * @param path the file they were read from
   * @param readNanos when they were read, nanoseconds since the epoch
   */
  int lines(byte[] src, int start, int end, int maxLineBytes, String path, long readNanos, JsonOut out);

  /** Whether {@link #lines} keeps a CR before a newline (see {@code LineSink.keepsCr}); dropped by default. */
  default boolean keepsCr() {
    return false;
  }

  /**
   * Writes one line (or piece of a line) {@code src[start, end)}, its newline not included;
   * {@code flags} holds its {@code LineFlags} bits (a piece cut at the maximum, truncated,
   * flushed before its newline).
   */
  void line(byte[] src, int start, int end, String path, long readNanos, int flags, JsonOut out);

  /** Lines written so far, by both methods. */
  long linesWritten();

  /** Message bytes of those lines (what {@link Batch#bytes} counts). */
  long bytesWritten();
}
