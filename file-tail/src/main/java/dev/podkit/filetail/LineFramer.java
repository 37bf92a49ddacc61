package dev.podkit.filetail;

import static dev.podkit.filetail.LineFlags.CONTINUED;
import static dev.podkit.filetail.LineFlags.CUT;
import static dev.podkit.filetail.LineFlags.TRUNCATED;
import static dev.podkit.filetail.LineFlags.UNTERMINATED;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a byte stream into lines at {@code \n}, with a maximum line length. A line that lies
 * whole in a fed buffer is handed to the sink in place, without a copy; only the bytes of a line
 * that spans two feeds are held (copied) until its newline arrives or the caller flushes. A line
 * longer than the maximum is split or truncated ({@link LongLines}), each piece flagged, never
 * dropped. The maximum counts the bytes before the newline, a trailing {@code \r} included.
 * Not thread-safe: one caller feeds it.
 */
public final class LineFramer {
  private static final byte[] EMPTY = {};
  private static final int KEEP_CARRY_BYTES = 64 * 1024;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final int maxLineBytes;
  private final boolean truncate;
  private final boolean stripCr;
  private final LineSink sink;
  /** Whether read blocks go to the sink's {@link LineSink#lines} first. */
  private final boolean blocks;
  /** carry[0, carryLen): the start of the current line, not delivered yet; carryLen <= maxLineBytes. */
  private byte[] carry = EMPTY;
  private int carryLen;
  /** Earlier pieces of the current line were delivered (cut or flushed). */
  private boolean continued;
  /** TRUNCATE mode: the rest of an over-long line is being skipped up to its newline. */
  private boolean skipping;
  private long skipped;
  /** In the buffer of the current {@link #feed}: the index after the last newline whose line is delivered; -1 before one. */
  private int deliveredInFeed = -1;

  public LineFramer(int maxLineBytes, LongLines longLines, boolean stripCr, LineSink sink) {
    if (maxLineBytes < 1) throw new IllegalArgumentException("maxLineBytes < 1: " + maxLineBytes);
    this.maxLineBytes = maxLineBytes;
    this.truncate = longLines == LongLines.TRUNCATE;
    this.stripCr = stripCr;
    this.sink = Objects.requireNonNull(sink, "sink");
    // LineSink.lines drops a trailing CR, or keeps it: equivalent only when this framer does the same.
    this.blocks = sink.takesBlocks() && stripCr != sink.keepsCr();
  }

  /**
   * Frames {@code buf[off, off + len)}: delivers every line it ends and holds the rest. A sink
   * that takes blocks is offered the whole lines first; this framer delivers the rest line by
   * line (the end of a line begun in an earlier feed, an over-long line, the unterminated tail).
   */
  public void feed(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    deliveredInFeed = -1;
    int end = off + len;
    if (!blocks) {
      frame(buf, off, end);
      return;
    }
    int s = atLineStart() ? off : frameLine(buf, off, end);
    while (s < end) {
      int t = sink.lines(buf, s, end, maxLineBytes);
      if (t > s) {
        // Whole lines up to t are delivered; the sink may stop early (at a batch's end, say) and
        // is offered the rest again, so a caller asking where delivery stands mid-feed is told.
        deliveredInFeed = t;
        s = t;
      } else {
        s = frameLine(buf, s, end); // a long or unterminated line: framed here
      }
    }
  }

  /**
   * During a {@link #feed} (from the sink, between lines): the index in the fed buffer after the
   * newline of the last line delivered in this feed, or -1 if none was yet. The caller's stream
   * offset of that index is where delivery stands, exactly, while lines are still being fed.
   */
  public int deliveredInFeed() {
    return deliveredInFeed;
  }

  /** Frames {@code buf[off, end)} line by line. */
  private void frame(byte[] buf, int off, int end) {
    int s = off;
    int nl;
    while ((nl = indexOfNewline(buf, s, end)) >= 0) {
      if (carryLen == 0 && !continued && !skipping && nl - s <= maxLineBytes) {
        // The common case: a whole line inside the buffer, delivered in place.
        sink.line(buf, s, stripCr && nl > s && buf[nl - 1] == '\r' ? nl - 1 : nl, 0);
      } else {
        endLine(buf, s, nl);
      }
      s = nl + 1;
      deliveredInFeed = s;
    }
    if (s < end) {
      hold(buf, s, end);
    }
  }

  /**
   * Feeds {@code buf[off, end)} up to and including its first newline, or all of it when it has
   * none, and returns the index after the bytes fed: for a caller that frames most lines its own
   * way and hands this framer the rest (an over-long line, an unterminated tail).
   */
  public int feedLine(byte[] buf, int off, int end) {
    Objects.checkFromToIndex(off, end, buf.length);
    return frameLine(buf, off, end);
  }

  private int frameLine(byte[] buf, int off, int end) {
    int nl = indexOfNewline(buf, off, end);
    int stop = nl < 0 ? end : nl + 1;
    frame(buf, off, stop);
    return stop;
  }

  /** Whether nothing of a line is held or being skipped: the next byte fed starts a line. */
  public boolean atLineStart() {
    return carryLen == 0 && !continued && !skipping;
  }

  /**
   * Delivers the held partial line, flagged UNTERMINATED; what arrives later of the same line is
   * flagged CONTINUED. The caller decides when (a flush timeout, say).
   */
  public void flush() {
    if (carryLen > 0) {
      sink.line(carry, 0, carryLen, UNTERMINATED | (continued ? CONTINUED : 0));
      release();
      continued = true;
    }
  }

  /** Ends the input: flushes the held partial line; the next byte fed starts a new line. */
  public void finish() {
    flush();
    if (skipping) {
      endSkip();
    }
    continued = false;
  }

  /** Drops the held partial line undelivered, for a caller that will feed its bytes again. */
  public void discard() {
    release();
    skipping = false;
    skipped = 0;
    continued = false;
  }

  /**
   * Bytes held for a line not delivered yet: the stream offset where the last delivered line ends
   * is the count of bytes fed less these.
   */
  public int pending() {
    return carryLen;
  }

  /** The line's remaining bytes are the carry and {@code b[s, e)}; {@code b[e]} is its newline. */
  private void endLine(byte[] b, int s, int e) {
    if (!skipping && carryLen > 0) {
      if (carryLen + (e - s) <= maxLineBytes) {
        append(b, s, e - s);
        lastPiece(carry, 0, carryLen);
        release();
        return;
      }
      s = overflowCarry(b, s);
    }
    while (!skipping && e - s > maxLineBytes) {
      overflow(b, s, s + maxLineBytes);
      s += maxLineBytes;
    }
    if (skipping) {
      skipped += e - s;
      endSkip();
    } else {
      lastPiece(b, s, e);
    }
  }

  /** No newline in {@code b[s, e)}: keep it, delivering maximum-length pieces while it is too long. */
  private void hold(byte[] b, int s, int e) {
    if (!skipping && carryLen > 0 && carryLen + (e - s) > maxLineBytes) {
      s = overflowCarry(b, s);
    }
    while (!skipping && e - s > maxLineBytes) {
      overflow(b, s, s + maxLineBytes);
      s += maxLineBytes;
    }
    if (skipping) {
      skipped += e - s;
    } else {
      append(b, s, e - s);
    }
  }

  /** Tops the carry up to the maximum from {@code b[s...]}, delivers it as a piece; returns the new s. */
  private int overflowCarry(byte[] b, int s) {
    int take = maxLineBytes - carryLen;
    append(b, s, take);
    overflow(carry, 0, maxLineBytes);
    release();
    return s + take;
  }

  private void overflow(byte[] b, int s, int e) {
    int flags = continued ? CONTINUED : 0;
    if (truncate) {
      sink.line(b, s, e, flags | TRUNCATED);
      skipping = true;
      skipped = 0;
    } else {
      sink.line(b, s, e, flags | CUT);
      continued = true;
    }
  }

  private void lastPiece(byte[] b, int s, int e) {
    sink.line(b, s, stripCr && e > s && b[e - 1] == '\r' ? e - 1 : e, continued ? CONTINUED : 0);
    continued = false;
  }

  private void endSkip() {
    sink.skipped(skipped);
    skipping = false;
    skipped = 0;
    continued = false;
  }

  private void append(byte[] b, int s, int n) {
    if (carryLen + n > carry.length) {
      int size = Math.max(carryLen + n, Math.max(256, carry.length * 2));
      carry = Arrays.copyOf(carry, Math.min(size, Math.max(maxLineBytes, carryLen + n)));
    }
    System.arraycopy(b, s, carry, carryLen, n);
    carryLen += n;
  }

  /** Empties the carry; gives back a buffer grown by a long line so idle framers stay small. */
  private void release() {
    carryLen = 0;
    if (carry.length > KEEP_CARRY_BYTES) {
      carry = EMPTY;
    }
  }

  /** Index of the first {@code \n} in {@code b[from, end)}, or -1; eight bytes per step. */
  public static int indexOfNewline(byte[] b, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      // A byte of x is zero where b held '\n'. The lowest flagged byte is always a true zero
      // (borrows only flag bytes above one), and little-endian makes it the first in memory.
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
