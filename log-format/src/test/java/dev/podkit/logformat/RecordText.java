package dev.podkit.logformat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * A parsed record as one stable line of text for golden files: {@code time=... sev=... msg="..."
 * fields=[name:kind=value, ...]}. Text and JSON values are quoted with control characters,
 * quotes and backslashes escaped, so each event stays on one line.
 */
final class RecordText {
  private RecordText() {}

  static String of(LogRecord r) {
    StringBuilder out = new StringBuilder();
    out.append("time=").append(r.hasTime() ? Instant.ofEpochSecond(r.timeSeconds(), r.timeNanos()) : "-");
    out.append(" sev=").append(r.severity() == null ? "-" : quote(r.severity()));
    out.append(" msg=");
    if (r.messageText() != null) {
      out.append(quote(r.messageText()));
    } else if (r.hasMessage()) {
      out.append(quote(utf8(r.src(), r.messageStart(), r.messageEnd())));
    } else {
      out.append("-");
    }
    out.append(" fields=[");
    for (int i = 0; i < r.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(r.name(i)).append(':').append(r.kind(i).name().toLowerCase(Locale.ROOT)).append('=');
      String value = r.valueAsString(i);
      switch (r.kind(i)) {
        case TEXT, TEXT_RANGE, JSON_RANGE -> out.append(quote(value));
        default -> out.append(value);
      }
    }
    return out.append(']').toString();
  }

  private static String utf8(byte[] b, int start, int end) {
    return new String(b, start, end - start, StandardCharsets.UTF_8);
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\ufeff'
              || Character.isSurrogate(c) && !validPair(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
