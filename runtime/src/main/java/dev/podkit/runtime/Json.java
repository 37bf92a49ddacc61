package dev.podkit.runtime;

/**
 * Writes JSON values into a {@link StringBuilder}: strings escaped per RFC 8259, numbers,
 * booleans and null. Small on purpose: a log line must not load a JSON library.
 */
public final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** Appends {@code value} as a JSON string, quotes included. */
  public static StringBuilder string(StringBuilder out, CharSequence value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Control characters must be escaped; lone surrogates would make the output invalid
          // UTF-8, so they are escaped too and stay visible.
          if (c < 0x20 || Character.isSurrogate(c) && !validPair(value, i)) {
            out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15])
                .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /**
   * Appends any value: numbers and booleans as such, null as null, a list as an array of values,
   * anything else as a string.
   */
  public static StringBuilder value(StringBuilder out, Object value) {
    // An if-chain, not a pattern switch: the switch's bootstrap spins a class at run time that
    // the AOT cache does not hold, and the first log line would pay for it.
    if (value == null) {
      return out.append("null");
    }
    if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      return out.append(value);
    }
    if (value instanceof Double d && Double.isFinite(d)) {
      return out.append(d.doubleValue());
    }
    if (value instanceof java.time.Duration d) {
      return string(out, Durations.format(d));
    }
    if (value instanceof java.util.List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) out.append(',');
        value(out, list.get(i));
      }
      return out.append(']');
    }
    return string(out, String.valueOf(value));
  }

  private static boolean validPair(CharSequence s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
