package dev.podkit.filetail;

/**
 * The bits of a delivered line's {@code flags}: how a piece relates to the line it came from. A
 * line that fits, ends in a newline and was not flushed early has no flag set.
 */
public final class LineFlags {
  /** The line is longer than the maximum: this piece is cut there and the next piece continues it. */
  public static final int CUT = 1;

  /** This piece continues a line whose earlier pieces were delivered before it. */
  public static final int CONTINUED = 2;

  /** The line is longer than the maximum: this piece is its start, the rest up to the newline was skipped. */
  public static final int TRUNCATED = 4;

  /**
   * No newline ended this piece: it was flushed (a partial last line, a file left behind at
   * rotation). Bytes of the same line that arrive later come flagged {@link #CONTINUED}.
   */
  public static final int UNTERMINATED = 8;

  private LineFlags() {}

  /** The flags as names joined by {@code |}, or {@code "-"} when none is set; for logs and tests. */
  public static String describe(int flags) {
    StringBuilder sb = new StringBuilder();
    String[] names = {"CUT", "CONTINUED", "TRUNCATED", "UNTERMINATED"};
    for (int bit = 0; bit < names.length; bit++) {
      if ((flags & (1 << bit)) != 0) {
        sb.append(sb.isEmpty() ? "" : "|").append(names[bit]);
      }
    }
    return sb.isEmpty() ? "-" : sb.toString();
  }
}
