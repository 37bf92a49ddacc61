package dev.podkit.logformat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parser of logfmt lines: {@code key=value key="quoted \"value\"" flag}. Values stay text
 * (logfmt has no types), except {@code status}, {@code bytes} and {@code pid}, numbers when they
 * are whole numbers, and {@code duration}, a decimal (seconds) when it is a plain number. A bare
 * key is the boolean true. The first non-empty {@code level}/{@code lvl}/{@code severity} sets the severity,
 * the first {@code msg}/{@code message} the message, and the first {@code time}/{@code ts}/{@code
 * timestamp} that is RFC 3339 or an epoch number the time; those are not repeated as fields. A
 * quoted value with escapes is decoded (Go's quoting); an unterminated quote runs to the end of
 * the line. A line without any {@code key=value}, or with a quote inside a key, does not match.
 */
public final class LogfmtParser implements LineParser {
  private static final byte[][] LEVEL_KEYS = keys("level", "lvl", "severity");
  private static final byte[][] MESSAGE_KEYS = keys("msg", "message");
  private static final byte[][] TIME_KEYS = keys("time", "ts", "timestamp");
  private static final byte[][] WHOLE_KEYS = keys(Fields.STATUS, Fields.BYTES, Fields.PID);
  private static final byte[] DURATION_KEY = Fields.DURATION.getBytes(StandardCharsets.US_ASCII);

  private final NameCache names = new NameCache();
  /** Whether the last quoted value {@link #closingQuote} scanned holds a backslash. */
  private boolean escaped;

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int e = r.srcEnd();
    int p = r.srcStart();
    int pairs = 0;
    boolean hasLevel = false;
    boolean hasMessage = false;
    boolean hasTime = false;
    while (true) {
      while (p < e && (b[p] == ' ' || b[p] == '\t')) {
        p++;
      }
      if (p == e) {
        break;
      }
      int keyStart = p;
      while (p < e && b[p] != ' ' && b[p] != '\t' && b[p] != '=' && b[p] != '"') {
        p++;
      }
      int keyEnd = p;
      if (keyEnd == keyStart || (p < e && b[p] == '"')) {
        return noMatch(r);
      }
      if (p == e || b[p] != '=') {
        r.bool(names.name(b, keyStart, keyEnd), true);
        continue;
      }
      pairs++;
      // The value: quoted, or up to the next blank.
      int vs = p + 1;
      int ve;
      boolean quoted = vs < e && b[vs] == '"';
      if (quoted) {
        vs++;
        int close = closingQuote(b, vs, e);
        ve = close < 0 ? e : close;
        p = close < 0 ? e : close + 1;
      } else {
        escaped = false;
        ve = vs;
        while (ve < e && b[ve] != ' ' && b[ve] != '\t') {
          ve++;
        }
        p = ve;
      }
      if (!hasLevel && ve > vs && is(LEVEL_KEYS, b, keyStart, keyEnd)) {
        r.severity(escaped ? Escapes.logfmt(b, vs, ve) : LevelNames.of(b, vs, ve));
        hasLevel = true;
      } else if (!hasMessage && is(MESSAGE_KEYS, b, keyStart, keyEnd)) {
        if (escaped) {
          r.message(Escapes.logfmt(b, vs, ve));
        } else {
          r.message(vs, ve);
        }
        hasMessage = true;
      } else if (!hasTime && is(TIME_KEYS, b, keyStart, keyEnd) && time(r, b, vs, ve)) {
        hasTime = true;
      } else {
        value(r, names.name(b, keyStart, keyEnd), b, keyStart, keyEnd, vs, ve);
      }
    }
    return pairs == 0 ? noMatch(r) : Result.EVENT;
  }

  private void value(LogRecord r, String name, byte[] b, int keyStart, int keyEnd, int vs, int ve) {
    if (escaped) {
      r.text(name, Escapes.logfmt(b, vs, ve));
      return;
    }
    if (is(WHOLE_KEYS, b, keyStart, keyEnd)) {
      long v = Numbers.parseLong(b, vs, ve);
      if (v != Numbers.NOT_A_NUMBER) {
        r.number(name, v);
        return;
      }
    } else if (Arrays.equals(DURATION_KEY, 0, DURATION_KEY.length, b, keyStart, keyEnd)) {
      long whole = Numbers.parseLong(b, vs, ve);
      double v = whole != Numbers.NOT_A_NUMBER ? whole : Numbers.parseDecimal(b, vs, ve);
      if (!Double.isNaN(v)) {
        r.decimal(name, v);
        return;
      }
    }
    r.text(name, vs, ve);
  }

  /** Sets the time from RFC 3339 or an epoch number; false when the value is neither. */
  private static boolean time(LogRecord r, byte[] b, int vs, int ve) {
    if (Times.rfc3339(b, vs, ve, r)) {
      return true;
    }
    long whole = Numbers.parseLong(b, vs, ve);
    if (whole != Numbers.NOT_A_NUMBER) {
      Times.epochNumber(whole, r);
      return true;
    }
    double decimal = Numbers.parseDecimal(b, vs, ve);
    return !Double.isNaN(decimal) && Times.epochDecimal(decimal, r);
  }

  /** The index of the quote closing a value that starts at {@code b[p]}, or -1. Sets {@link #escaped}. */
  private int closingQuote(byte[] b, int p, int e) {
    escaped = false;
    for (; p < e; p++) {
      if (b[p] == '"') {
        return p;
      }
      if (b[p] == '\\') {
        escaped = true;
        p++;
      }
    }
    return -1;
  }

  /** Clears what was set before the line turned out not to be logfmt. */
  private static Result noMatch(LogRecord r) {
    r.reset(r.src(), r.srcStart(), r.srcEnd());
    return Result.NO_MATCH;
  }

  private static boolean is(byte[][] keys, byte[] b, int start, int end) {
    for (byte[] key : keys) {
      if (Arrays.equals(key, 0, key.length, b, start, end)) {
        return true;
      }
    }
    return false;
  }

  private static byte[][] keys(String... names) {
    byte[][] keys = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      keys[i] = names[i].getBytes(StandardCharsets.US_ASCII);
    }
    return keys;
  }
}
