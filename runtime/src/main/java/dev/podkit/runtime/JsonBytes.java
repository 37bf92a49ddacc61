package dev.podkit.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level pieces {@link JsonOut} writes JSON with: which bytes need care (found eight at
 * a time), how an ASCII byte is escaped, which UTF-8 sequences are valid, the digits of a
 * number, and eight-byte copies. Static and allocation-free, since every byte of a shipped line
 * passes through here.
 */
final class JsonBytes {
  /** Reads or writes 8 bytes of an array as one long, for checking or copying them at once. */
  static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** What an invalid UTF-8 sequence becomes: U+FFFD in UTF-8. */
  static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** For each ASCII byte, 0 when it is written as it is, else the letter of its short escape or 'u'. */
  private static final byte[] ESCAPE = new byte[128];
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPE[c] = 'u';
    }
    ESCAPE['\n'] = 'n';
    ESCAPE['\r'] = 'r';
    ESCAPE['\t'] = 't';
    ESCAPE['\b'] = 'b';
    ESCAPE['\f'] = 'f';
    ESCAPE['"'] = '"';
    ESCAPE['\\'] = '\\';
  }

  private JsonBytes() {}

  /**
   * The high bit of each of the 8 bytes (little-endian) that is not printable ASCII other than
   * quote and backslash: a byte with the high bit set, below 0x20, or equal to 0x22 or 0x5C. For
   * a byte below 0x80, {@code b - 0x20} has its high bit set exactly when {@code b < 0x20}, and
   * {@code (b ^ q) - 1} exactly when {@code b == q} (q is 0x22 or 0x5C); bytes of 0x80 and more
   * are flagged by their own high bit. Only a flagged byte borrows from the next, so bits above
   * the lowest may be false alarms; the lowest is always a real one, and that is the only one used.
   */
  static long specialBytes(long v) {
    long below = v - 0x2020202020202020L;
    long quote = (v ^ 0x2222222222222222L) - ONES;
    long backslash = (v ^ 0x5C5C5C5C5C5C5C5CL) - ONES;
    return (v | below | quote | backslash) & HIGHS;
  }

  /** Writes the escape of ASCII byte {@code c} at {@code b[o]}, which has room for six bytes; returns the end. */
  static int escapeAscii(byte c, byte[] b, int o) {
    byte e = ESCAPE[c];
    b[o++] = '\\';
    if (e == 'u') {
      b[o++] = 'u';
      b[o++] = '0';
      b[o++] = '0';
      b[o++] = HEX[c >> 4];
      b[o++] = HEX[c & 15];
    } else {
      b[o++] = e;
    }
    return o;
  }

  /**
   * The length of the valid UTF-8 sequence of two to four bytes that starts at {@code s[i]} and
   * ends before {@code end}, or 0 when there is none there: a bad lead or continuation byte, a
   * sequence cut off by {@code end}, an overlong form, a surrogate or a code point past U+10FFFF.
   */
  static int utf8Length(byte[] s, int i, int end) {
    int b0 = s[i] & 0xFF;
    int need;
    int min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
      min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + need >= end) {
      return 0; // the text ends inside the sequence
    }
    int cp = b0 & (0x3F >> need);
    for (int k = 1; k <= need; k++) {
      int c = s[i + k] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        return 0;
      }
      cp = cp << 6 | c & 0x3F;
    }
    if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
      return 0;
    }
    return need + 1;
  }

  /**
   * Copies {@code src}, whose length is a multiple of eight, to {@code b[o]} eight bytes at a
   * time: for the short constant pieces written on every line, where a general copy costs more
   * than the bytes. {@code b} has room for all of {@code src} there.
   */
  static void copyPadded(byte[] src, byte[] b, int o) {
    for (int k = 0; k < src.length; k += 8) {
      LONGS.set(b, o + k, (long) LONGS.get(src, k));
    }
  }

  /** Writes {@code v} in decimal at {@code b[o]}, which has room for 20 bytes; returns the end. */
  static int writeLong(long v, byte[] b, int o) {
    if (v == Long.MIN_VALUE) { // the one value whose negation is itself
      System.arraycopy(MIN_LONG, 0, b, o, MIN_LONG.length);
      return o + MIN_LONG.length;
    }
    if (v < 0) {
      b[o++] = '-';
      v = -v;
    }
    int start = o;
    do {
      b[o++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = start, j = o - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return o;
  }
}
