package dev.podkit.logformat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Turns the value of one top-level field of a JSON line into the record: the well-known keys
 * into its time, severity and message (once each), the others into typed fields. Positions are
 * byte offsets of the line; the parser reports them relative to {@code base}.
 */
final class JsonValues {
  private boolean hasMessage;
  private boolean hasLevel;
  private boolean hasTime;
  /** ASCII copy of a time string that holds escapes, for the byte parser. */
  private final byte[] timeScratch = new byte[64];

  /** Starts a new line. */
  void start() {
    hasMessage = false;
    hasLevel = false;
    hasTime = false;
  }

  /** Adds the value at token {@code t} of the field {@code name}. */
  void field(LogRecord r, JsonParser jp, String name, JsonToken t, int base) throws IOException {
    int start = base + (int) jp.currentTokenLocation().getByteOffset();
    switch (t) {
      case VALUE_STRING -> string(r, jp, name, start, base);
      case VALUE_NUMBER_INT -> whole(r, jp, name, start, base);
      case VALUE_NUMBER_FLOAT -> decimal(r, jp, name, start, base);
      case VALUE_TRUE, VALUE_FALSE -> r.bool(name, t == JsonToken.VALUE_TRUE);
      case VALUE_NULL -> r.json(name, start, start + 4);
      case START_OBJECT, START_ARRAY -> {
        jp.skipChildren();
        r.json(name, start, end(jp, base));
      }
      default -> throw new IOException("unexpected token " + t);
    }
  }

  private void string(LogRecord r, JsonParser jp, String name, int start, int base) throws IOException {
    jp.finishToken();
    byte[] b = r.src();
    int vs = start + 1;
    int ve = end(jp, base) - 1;
    boolean escaped = indexOfBackslash(b, vs, ve) >= 0;
    if (!hasMessage && isMessageKey(name)) {
      hasMessage = true;
      if (escaped) {
        r.message(jp.getText());
      } else {
        r.message(vs, ve);
      }
    } else if (!hasLevel && isLevelKey(name)) {
      hasLevel = true;
      r.severity(escaped ? jp.getText() : LevelNames.of(b, vs, ve));
    } else if (!hasTime && isTimeKey(name) && time(r, jp, b, vs, ve, escaped)) {
      hasTime = true;
    } else if (escaped) {
      r.text(name, jp.getText());
    } else {
      r.text(name, vs, ve);
    }
  }

  private boolean time(LogRecord r, JsonParser jp, byte[] b, int vs, int ve, boolean escaped) throws IOException {
    if (!escaped) {
      return Times.rfc3339(b, vs, ve, r);
    }
    // Escapes in a timestamp are odd ("\u002d" for "-") but valid JSON: decode, then parse.
    String text = jp.getText();
    if (text.length() > timeScratch.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7f) {
        return false;
      }
      timeScratch[i] = (byte) c;
    }
    return Times.rfc3339(timeScratch, 0, text.length(), r);
  }

  private void whole(LogRecord r, JsonParser jp, String name, int start, int base) throws IOException {
    if (jp.getNumberType() != JsonParser.NumberType.INT && jp.getNumberType() != JsonParser.NumberType.LONG) {
      r.json(name, start, end(jp, base)); // Too big for a long: kept exactly as written.
      return;
    }
    long v = jp.getLongValue();
    if (!hasLevel && isLevelKey(name)) {
      hasLevel = true;
      r.severity(levelOfNumber(v));
    } else if (!hasTime && isTimeKey(name)) {
      hasTime = true;
      Times.epochNumber(v, r);
    } else {
      r.number(name, v);
    }
  }

  private void decimal(LogRecord r, JsonParser jp, String name, int start, int base) throws IOException {
    double v = jp.getDoubleValue();
    if (!hasTime && isTimeKey(name) && Times.epochDecimal(v, r)) {
      hasTime = true;
    } else if (Double.isFinite(v)) {
      r.decimal(name, v);
    } else {
      r.json(name, start, end(jp, base)); // 1e999: kept as the number written.
    }
  }

  /**
   * The level text of a numeric level: pino's and bunyan's 10 (trace) to 60 (fatal), syslog's 0
   * to 7 as they are, other numbers as digits (which map to no severity).
   */
  static String levelOfNumber(long v) {
    return switch ((int) Math.max(Math.min(v, 100), -1)) {
      case 0 -> "0";
      case 1 -> "1";
      case 2 -> "2";
      case 3 -> "3";
      case 4 -> "4";
      case 5 -> "5";
      case 6 -> "6";
      case 7 -> "7";
      case 10 -> "trace";
      case 20 -> "debug";
      case 30 -> "info";
      case 40 -> "warn";
      case 50 -> "error";
      case 60 -> "fatal";
      default -> Long.toString(v);
    };
  }

  /** The line offset after the current token. */
  private static int end(JsonParser jp, int base) {
    return base + (int) jp.currentLocation().getByteOffset();
  }

  private static int indexOfBackslash(byte[] b, int p, int e) {
    for (; p < e; p++) {
      if (b[p] == '\\') {
        return p;
      }
    }
    return -1;
  }

  private static boolean isMessageKey(String name) {
    return switch (name) {
      case "message", "msg", "log" -> true;
      default -> false;
    };
  }

  private static boolean isLevelKey(String name) {
    return switch (name) {
      case "level", "severity", "lvl", "log.level" -> true;
      default -> false;
    };
  }

  private static boolean isTimeKey(String name) {
    return switch (name) {
      case "time", "timestamp", "ts", "@timestamp" -> true;
      default -> false;
    };
  }
}
