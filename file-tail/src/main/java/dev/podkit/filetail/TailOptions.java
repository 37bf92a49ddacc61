package dev.podkit.filetail;

import dev.podkit.runtime.Backoff;
import java.time.Duration;

/**
 * How a {@link FileFollower} reads and frames a file.
 *
 * @param maxLineBytes the longest line delivered in one piece, newline excluded
 * @param longLines what happens to a longer line: split into pieces or truncated, never dropped
 * @param stripCr drop the {@code \r} of a {@code \r\n} line ending
 * @param maxReadBytesPerPoll the most one {@link FileFollower#poll()} reads, so that one thread
 *     driving many followers is fair to each
 * @param partialLineFlush how long a partial last line (no newline yet) waits with no new bytes
 *     before it is delivered flagged UNTERMINATED
 * @param goneTimeout how long a file that no name points to any more (deleted, or renamed with
 *     no successor yet) is kept open after its last new byte; it is read to its end first
 * @param errorBackoff the pause after a failed poll before the next one does any I/O
 */
public record TailOptions(
    int maxLineBytes,
    LongLines longLines,
    boolean stripCr,
    int maxReadBytesPerPoll,
    Duration partialLineFlush,
    Duration goneTimeout,
    Backoff errorBackoff) {
  public TailOptions {
    if (maxLineBytes < 1) throw new IllegalArgumentException("maxLineBytes < 1: " + maxLineBytes);
    if (longLines == null) throw new IllegalArgumentException("longLines is null");
    if (maxReadBytesPerPoll < 1) {
      throw new IllegalArgumentException("maxReadBytesPerPoll < 1: " + maxReadBytesPerPoll);
    }
    if (!partialLineFlush.isPositive()) {
      throw new IllegalArgumentException("partialLineFlush <= 0: " + partialLineFlush);
    }
    if (goneTimeout.isNegative()) throw new IllegalArgumentException("goneTimeout < 0: " + goneTimeout);
    if (errorBackoff == null) throw new IllegalArgumentException("errorBackoff is null");
  }

  /** 256 KiB lines, split; CR stripped; 1 MiB per poll; 5 s partial-line flush; 10 s gone timeout. */
  public static TailOptions defaults() {
    return new TailOptions(256 * 1024, LongLines.SPLIT, true, 1024 * 1024, Duration.ofSeconds(5),
        Duration.ofSeconds(10), new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(10)));
  }

  public TailOptions withMaxLineBytes(int bytes, LongLines mode) {
    return new TailOptions(bytes, mode, stripCr, maxReadBytesPerPoll, partialLineFlush, goneTimeout, errorBackoff);
  }

  public TailOptions withStripCr(boolean strip) {
    return new TailOptions(maxLineBytes, longLines, strip, maxReadBytesPerPoll, partialLineFlush, goneTimeout, errorBackoff);
  }

  public TailOptions withMaxReadBytesPerPoll(int bytes) {
    return new TailOptions(maxLineBytes, longLines, stripCr, bytes, partialLineFlush, goneTimeout, errorBackoff);
  }

  public TailOptions withPartialLineFlush(Duration d) {
    return new TailOptions(maxLineBytes, longLines, stripCr, maxReadBytesPerPoll, d, goneTimeout, errorBackoff);
  }

  public TailOptions withGoneTimeout(Duration d) {
    return new TailOptions(maxLineBytes, longLines, stripCr, maxReadBytesPerPoll, partialLineFlush, d, errorBackoff);
  }
}
