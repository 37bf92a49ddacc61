package dev.podkit.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.podkit.runtime.JsonBytes.LONGS;
import static dev.podkit.runtime.JsonBytes.copyPadded;
import static dev.podkit.runtime.JsonBytes.escapeAscii;
import static dev.podkit.runtime.JsonBytes.specialBytes;

/**
 * A growable byte buffer that JSON is written into, in UTF-8. Text from source bytes is escaped
 * and validated in one pass: invalid UTF-8 becomes U+FFFD and is counted, control characters
 * become escapes, so every line written is valid JSON whatever the input was.
 */
public final class JsonOut {
  /** Headroom {@link #lines} keeps for one step: an eight-byte copy or a six-byte escape, and more. */
  private static final int ROOM = 64;

  private byte[] buf;
  /** What {@link #lines} writes before each line's message: its prefix and a quote, padded. */
  private byte[] linePrefix;
  private byte[] lineOpen;
  private int lineOpenLength;
  private int len;
  private long invalidUtf8;

  /** An empty buffer of 64 KiB, grown as needed. */
  public JsonOut() {
    this(1 << 16);
  }

  /** An empty buffer of {@code capacity} bytes, for a writer that knows about how much it will write. */
  public JsonOut(int capacity) {
    if (capacity < 0) throw new IllegalArgumentException("capacity < 0: " + capacity);
    buf = new byte[capacity];
  }

  public byte[] buffer() { return buf; }
  public int length() { return len; }

  /** A copy of what was written, as an array of its length. */
  public byte[] toBytes() {
    return Arrays.copyOf(buf, len);
  }
  public void clear() { len = 0; }
  /** Invalid UTF-8 sequences replaced so far. */
  public long invalidUtf8() { return invalidUtf8; }

  /** Invalid UTF-8 sequences replaced since the last call (or since this buffer was made). */
  public long takeInvalidUtf8() {
    long n = invalidUtf8;
    invalidUtf8 = 0;
    return n;
  }

  /** Cuts the buffer back to {@code length} bytes (to undo a partly written value). */
  public void truncate(int length) {
    len = length;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, 64), len + n));
    }
  }

  public JsonOut raw(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Appends bytes that are already JSON (or known-safe ASCII such as pre-encoded keys). */
  public JsonOut raw(byte[] b, int start, int end) {
    int n = end - start;
    ensure(n);
    System.arraycopy(b, start, buf, len, n);
    len += n;
    return this;
  }

  public JsonOut raw(byte[] b) {
    return raw(b, 0, b.length);
  }

  /** {@code b} with zeros after it up to a multiple of eight bytes, for copies eight at a time. */
  static byte[] padded(byte[] b) {
    return Arrays.copyOf(b, (b.length + 7) & ~7);
  }

  public JsonOut number(long v) {
    ensure(20);
    len = JsonBytes.writeLong(v, buf, len);
    return this;
  }

  public JsonOut decimal(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return number((long) v);
    }
    return raw(Double.toString(v).getBytes(StandardCharsets.US_ASCII));
  }

  /** A quoted string from {@code src[start, end)}, raw UTF-8 that may be invalid. */
  public JsonOut string(byte[] src, int start, int end) {
    // Room for the worst case up front (every byte a six-byte escape), so the loop checks nothing.
    ensure((end - start) * 6 + 2);
    byte[] b = buf;
    int o = len;
    b[o++] = '"';
    int i = start;
    while (i < end) {
      // (1) The common case: 8 bytes of printable ASCII, checked and copied as one long. When
      // some byte needs care, the bytes before it are copied the same way (the rest of the long
      // is overwritten next), so only the special bytes themselves take the slow path.
      if (i + 8 <= end) {
        long v = (long) LONGS.get(src, i);
        long special = specialBytes(v);
        LONGS.set(b, o, v);
        if (special == 0) {
          i += 8;
          o += 8;
          continue;
        }
        int plain = Long.numberOfTrailingZeros(special) >>> 3;
        i += plain;
        o += plain;
      }
      byte c = src[i];
      if (c >= 0x20 && c != '"' && c != '\\') { // negative bytes (non-ASCII) are < 0x20 too
        b[o++] = c;
        i++;
        continue;
      }
      if (c >= 0) {
        o = escapeAscii(c, b, o); // (2) a control character, quote or backslash
        i++;
      } else {
        len = o;
        i = utf8(src, i, end); // (3) a multi-byte sequence, checked
        o = len;
      }
    }
    b[o++] = '"';
    len = o;
    return this;
  }

  /** Says what follows each line's message in {@link #lines}. */
  @FunctionalInterface
  public interface LineEnd {
    /** The message {@code src[start, end)} (no newline, no trailing CR) is written: what follows it. */
    LineTail after(byte[] src, int start, int end);
  }

  /**
   * Writes each whole line of {@code src[from, end)} as one JSON line: {@code prefix}, the line
   * as a quoted string, then the tail {@code lineEnd} gives for it (copied here: C2 inlines a
   * call by the profile of the method it sits in, and the line end's, from the AOT cache's short
   * training, made it decline). This is framing and escaping in one
   * pass: newlines are found by the same eight-bytes-at-a-time check that finds the bytes to
   * escape, which makes wrapping lines several times faster than framing them first and escaping
   * each after. The bytes written are exactly those of {@link #string(byte[], int, int)} on each
   * line with a trailing CR dropped.
   *
   * <p>Stops at the start of a line longer than {@code maxLineBytes} (counted before the newline,
   * CR included) and of an unterminated last line, writing nothing of it, and returns that index;
   * returns {@code end} when every line was written. The caller frames what is left its own way.
   */
  public int lines(byte[] src, int from, int end, byte[] prefix, int maxLineBytes, LineEnd lineEnd) {
    if (prefix != linePrefix) {
      linePrefix = prefix;
      byte[] open = Arrays.copyOf(prefix, prefix.length + 1);
      open[prefix.length] = '"';
      lineOpen = padded(open);
      lineOpenLength = open.length;
    }
    byte[] open = lineOpen;
    int i = from;
    while (i < end) {
      int lineStart = i;
      int lineOut = len;
      long invalidBefore = invalidUtf8;
      // A newline at lineStart + maxLineBytes or before ends a line that is short enough.
      int limit = (int) Math.min(end, (long) lineStart + maxLineBytes + 1);
      ensure(open.length + ROOM);
      byte[] b = buf;
      int o = len;
      copyPadded(open, b, o);
      o += lineOpenLength;
      int safe = b.length - ROOM; // past this, grow before the next step writes
      int lineEndAt;
      while (true) {
        if (o > safe) {
          len = o;
          ensure(ROOM + ROOM);
          b = buf;
          safe = b.length - ROOM;
        }
        byte c;
        if (i + 8 <= limit) {
          long v = (long) LONGS.get(src, i);
          LONGS.set(b, o, v); // copied ahead; bytes past the first special one are overwritten next
          long special = specialBytes(v);
          if (special == 0) {
            i += 8;
            o += 8;
            continue;
          }
          int plain = Long.numberOfTrailingZeros(special) >>> 3;
          i += plain;
          o += plain;
          c = src[i]; // special for sure: the lowest flag is never a false alarm
        } else if (i < limit) {
          c = src[i];
          if (c >= 0x20 && c != '"' && c != '\\') { // negative bytes (non-ASCII) are < 0x20 too
            b[o++] = c;
            i++;
            continue;
          }
        } else {
          // No newline soon enough: the line is too long, or the input ends inside it.
          len = lineOut;
          invalidUtf8 = invalidBefore;
          return lineStart;
        }
        if (c == '"' || c == '\\') {
          b[o] = '\\';
          b[o + 1] = c;
          o += 2;
          i++;
        } else if (c == '\n') {
          lineEndAt = i;
          break;
        } else if (c == '\r' && i + 1 < limit && src[i + 1] == '\n') {
          lineEndAt = i;
          i++;
          break;
        } else if (c >= 0) {
          o = escapeAscii(c, b, o);
          i++;
        } else {
          len = o;
          i = utf8(src, i, limit);
          b = buf;
          o = len;
        }
      }
      b[o++] = '"';
      len = o;
      append(lineEnd.after(src, lineStart, lineEndAt));
      i++; // the newline
    }
    return end;
  }

  /** A line's tail, appended from {@link #lines} itself, whose profile gets the copy inlined. */
  private void append(LineTail tail) {
    byte[] t = tail.padded;
    ensure(t.length);
    copyPadded(t, buf, len);
    len += tail.length();
  }

  /** A quoted string from Java text (a lone surrogate becomes ?, as String.getBytes writes it). */
  public JsonOut string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8); // replaces lone surrogates with '?'
    return string(b, 0, b.length);
  }

  /** Copies one valid UTF-8 sequence starting at {@code i}, or writes U+FFFD; returns the next index. */
  private int utf8(byte[] s, int i, int end) {
    int n = JsonBytes.utf8Length(s, i, end);
    if (n == 0) {
      return replace(i + 1);
    }
    ensure(n);
    System.arraycopy(s, i, buf, len, n);
    len += n;
    return i + n;
  }

  private int replace(int next) {
    invalidUtf8++;
    ensure(3);
    System.arraycopy(JsonBytes.REPLACEMENT, 0, buf, len, 3);
    len += 3;
    return next;
  }

  /** Pre-encodes a key as {@code "key":} bytes, for writers that write the same keys on every line. */
  public static byte[] key(String name) {
    JsonOut o = new JsonOut();
    o.string(name).raw(':');
    return Arrays.copyOf(o.buf, o.len);
  }
}
