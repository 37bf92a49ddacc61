package dev.podkit.logformat;

import java.nio.charset.StandardCharsets;

/**
 * Decoders of the backslash escapes inside quoted values: the access logs' ({@code \"}, {@code
 * \\}, {@code \xHH}) and logfmt's (Go's {@code strconv.Quote} escapes). Parsers call them only for
 * a value that holds a backslash, the rare case; other values stay byte ranges of the line.
 * Invalid UTF-8 in the result becomes U+FFFD; an unknown escape is kept as written.
 */
final class Escapes {
  private Escapes() {}

  /** The text of {@code b[start, end)} with Apache's and nginx's escapes decoded. */
  static String accessLog(byte[] b, int start, int end) {
    byte[] out = new byte[end - start];
    int n = 0;
    for (int p = start; p < end; p++) {
      byte c = b[p];
      if (c == '\\' && p + 1 < end) {
        byte next = b[p + 1];
        if (next == '"' || next == '\\') {
          out[n++] = next;
          p++;
          continue;
        }
        int hex = next == 'x' ? hex2(b, p + 2, end) : -1;
        if (hex >= 0) {
          out[n++] = (byte) hex;
          p += 3;
          continue;
        }
      }
      out[n++] = c;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /** The text of {@code b[start, end)} with logfmt's escapes ({@code \" \\ \n \r \t \\uXXXX}) decoded. */
  static String logfmt(byte[] b, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    int run = start;
    for (int p = start; p < end; p++) {
      if (b[p] != '\\' || p + 1 >= end) {
        continue;
      }
      out.append(new String(b, run, p - run, StandardCharsets.UTF_8));
      byte next = b[p + 1];
      int skip = 2;
      switch (next) {
        case '"', '\\', '/' -> out.append((char) next);
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          int hi = hex2(b, p + 2, end);
          int lo = hex2(b, p + 4, end);
          if (hi >= 0 && lo >= 0) {
            out.append((char) (hi << 8 | lo));
            skip = 6;
          } else {
            out.append('\\');
            skip = 1;
          }
        }
        default -> {
          // Kept as written; the byte after the backslash is copied with the next run.
          out.append('\\');
          skip = 1;
        }
      }
      p += skip - 1;
      run = p + 1;
    }
    out.append(new String(b, run, end - run, StandardCharsets.UTF_8));
    return out.toString();
  }

  /** The byte value of two hex digits at {@code b[p]}, or -1. */
  private static int hex2(byte[] b, int p, int end) {
    if (p + 2 > end) {
      return -1;
    }
    int hi = Character.digit(b[p], 16);
    int lo = Character.digit(b[p + 1], 16);
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
  }
}
