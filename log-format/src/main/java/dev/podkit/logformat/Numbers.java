package dev.podkit.logformat;

/**
 * Decimal number parsers on bytes that allocate nothing on the common path and answer text that is
 * not a number as a value ({@link #NOT_A_NUMBER}, NaN), never as an exception.
 */
final class Numbers {
  /** What {@link #parseLong} answers for text that is not a whole number that fits a long. */
  static final long NOT_A_NUMBER = Long.MIN_VALUE;

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
  };

  private Numbers() {}

  /** The whole number {@code -?[0-9]{1,18}} filling {@code b[start, end)}, or {@link #NOT_A_NUMBER}. */
  static long parseLong(byte[] b, int start, int end) {
    int p = start;
    boolean negative = p < end && b[p] == '-';
    if (negative) {
      p++;
    }
    // 18 digits always fit a long, so no overflow check is needed in the loop.
    if (p == end || end - p > 18) {
      return NOT_A_NUMBER;
    }
    long v = 0;
    for (; p < end; p++) {
      int d = b[p] - '0';
      if (d < 0 || d > 9) {
        return NOT_A_NUMBER;
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  /**
   * The decimal {@code -?[0-9]+\.[0-9]+} (a fraction is required) filling {@code b[start, end)},
   * or NaN.
   */
  static double parseDecimal(byte[] b, int start, int end) {
    int p = start;
    boolean negative = p < end && b[p] == '-';
    if (negative) {
      p++;
    }
    int dot = -1;
    long mantissa = 0;
    int digits = 0;
    for (int i = p; i < end; i++) {
      byte c = b[i];
      if (c == '.' && dot < 0) {
        dot = i;
      } else if (c >= '0' && c <= '9') {
        mantissa = mantissa * 10 + (c - '0');
        digits++;
      } else {
        return Double.NaN;
      }
    }
    if (dot <= p || dot == end - 1) {
      return Double.NaN; // digits are required on both sides of the dot
    }
    if (digits > 15) {
      return slowDecimal(b, start, end); // the mantissa may have overflowed; rare
    }
    // Both the mantissa (< 10^15) and the power of ten are exact doubles, so one division
    // gives the correctly rounded value.
    double v = mantissa / POW10[end - dot - 1];
    return negative ? -v : v;
  }

  private static double slowDecimal(byte[] b, int start, int end) {
    return Double.parseDouble(new String(b, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
