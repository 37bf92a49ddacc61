package dev.podkit.filetail;

/**
 * Where framed lines go: one call per line (or per piece of an over-long line), newline excluded.
 * The bytes are lent, not given: {@code buf} is valid only during the call and is often the
 * reader's own buffer, so a sink that keeps a line copies it. A sink must not throw.
 */
@FunctionalInterface
public interface LineSink {
  /** One line in {@code buf[start, end)}; {@code flags} holds {@link LineFlags} bits. */
  void line(byte[] buf, int start, int end, int flags);

  /** {@code bytes} of an over-long line were skipped after its {@link LineFlags#TRUNCATED} piece. */
  default void skipped(long bytes) {}

  /**
   * Whether this sink takes whole lines a block at a time through {@link #lines}: then a framer
   * that treats CRs as this sink's {@link #lines} does hands it each read block first and frames
   * only what it leaves.
   */
  default boolean takesBlocks() {
    return false;
  }

  /**
   * Whether the lines {@link #lines} takes keep a CR before their newline (raw copies) rather
   * than drop it: a framer hands blocks only to a sink that does as it does.
   */
  default boolean keepsCr() {
    return false;
  }

  /**
   * Takes the whole lines at the start of {@code buf[start, end)}, each ended by a newline and
   * at most {@code maxLineBytes} long before it, and returns the index after the last one taken;
   * {@code start} when it takes none. Taking a line must have the same effect as {@link #line}
   * with it, its trailing CR dropped (kept if {@link #keepsCr}), and no flags. It may stop early
   * (at a long or unterminated line it must): having taken some, it is offered the rest again,
   * the lines it took counted as delivered ({@link LineFramer#deliveredInFeed}); having taken
   * none, the framer frames the next line itself, then offers the rest. Called only when {@link
   * #takesBlocks} is true.
   */
  default int lines(byte[] buf, int start, int end, int maxLineBytes) {
    return start;
  }
}
