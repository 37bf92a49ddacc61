package dev.podkit.logshipper.sink;

import dev.podkit.filetail.LineFramer;
import dev.podkit.runtime.JsonOut;

/**
 * Writes lines as they were read, each with a newline, for stdout's raw mode (the {@code tail -F}
 * drop-in). Whole lines are copied in runs; unless it keeps CRs (as {@code tail} does: then the
 * framer leaves them in the lines too), a CR before a newline is dropped and breaks a run.
 */
final class RawLines extends CountingEncoder {
  private final boolean keepCr;

  RawLines(boolean keepCr) {
    this.keepCr = keepCr;
  }

  @Override
  public boolean keepsCr() {
    return keepCr;
  }

  @Override
  public int lines(byte[] src, int start, int end, int maxLineBytes, String path, long readNanos, JsonOut out) {
    int i = start;
    int run = start; // src[run, i) is to be copied as it is
    while (i < end) {
      // A newline at i + maxLineBytes or before ends a line that is short enough.
      int nl = LineFramer.indexOfNewline(src, i, (int) Math.min(end, (long) i + maxLineBytes + 1));
      if (nl < 0) {
        break;
      }
      int e = nl;
      if (!keepCr && nl > i && src[nl - 1] == '\r') {
        e = nl - 1;
        out.raw(src, run, e);
        run = nl;
      }
      counted(e - i);
      i = nl + 1;
    }
    out.raw(src, run, i);
    return i;
  }

  @Override
  public void line(byte[] src, int start, int end, String path, long readNanos, boolean truncated, JsonOut out) {
    out.raw(src, start, end).raw('\n');
    counted(end - start);
  }
}
