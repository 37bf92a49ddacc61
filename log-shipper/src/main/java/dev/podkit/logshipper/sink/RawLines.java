package dev.podkit.logshipper.sink;

import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.LineFramer;
import dev.podkit.runtime.JsonOut;

/**
 * Writes lines as they were read, for stdout's raw mode (the {@code tail -F} drop-in). Whole lines
 * are copied in runs; unless it keeps CRs (as {@code tail} does: then the framer leaves them in
 * the lines too), a CR before a newline is dropped and breaks a run.
 *
 * <p>A piece that no newline ended in the file (an over-long line cut at the maximum, a partial
 * line flushed before its newline came) is written without one, as {@code tail} prints it: the
 * next piece of the same line follows it, and the line comes out whole. Only when the next bytes
 * written are another file's is a newline put first, so that two files' lines are never glued
 * into one.
 */
final class RawLines extends CountingEncoder {
  private final boolean keepCr;
  /** The file whose line was left open (its last piece written without a newline); null if none. */
  private String open;

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
      if (i == start) {
        endOpenLine(path, out);
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
  public void line(byte[] src, int start, int end, String path, long readNanos, int flags, JsonOut out) {
    endOpenLine(path, out);
    out.raw(src, start, end);
    if ((flags & (LineFlags.CUT | LineFlags.UNTERMINATED)) == 0) {
      out.raw('\n');
    } else {
      open = path;
    }
    counted(end - start);
  }

  /** Ends with a newline a line another file left open, before {@code path}'s bytes are written. */
  private void endOpenLine(String path, JsonOut out) {
    if (open != null) {
      if (!open.equals(path)) {
        out.raw('\n');
      }
      open = null;
    }
  }
}
