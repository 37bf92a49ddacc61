package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decides an event's severity, in order: (1) the level the line carries (a level field, a syslog
 * priority); (2) for access logs, the status class (5xx error, 4xx warning, else info); (3) if
 * enabled, a level keyword in upper case as a whole word near the start of the message
 * ({@code ERROR}, {@code WARN}, {@code FATAL}...); (4) the configured default, which may be none.
 */
final class SeverityRule {
  /** How far into the message keywords are looked for: levels come first in log lines. */
  static final int KEYWORD_WINDOW = 100;
  private static final String[] KEYWORDS = {"EMERGENCY", "ALERT", "CRITICAL", "FATAL", "SEVERE", "ERROR", "WARNING",
      "WARN", "NOTICE", "INFO", "DEBUG", "TRACE"};
  private static final byte[][] KEYWORD_BYTES = new byte[KEYWORDS.length][];
  private static final Severity[] SEVERITIES = new Severity[KEYWORDS.length];
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** Bytes that are part of a word (letters, digits, underscore): keywords must stand alone. */
  private static final boolean[] WORD = new boolean[256];
  /** Bytes that begin some keyword. */
  private static final boolean[] FIRST = new boolean[256];

  static {
    for (int k = 0; k < KEYWORDS.length; k++) {
      KEYWORD_BYTES[k] = KEYWORDS[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      FIRST[KEYWORD_BYTES[k][0]] = true;
      if (KEYWORD_BYTES[k].length < 4) throw new AssertionError("keyword() looks for four letters: " + KEYWORDS[k]);
      SEVERITIES[k] = Severity.parse(KEYWORDS[k]);
    }
    for (int c = 0; c < 256; c++) {
      WORD[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
  }

  private final boolean detectKeywords;
  private final Severity fallback;

  SeverityRule(boolean detectKeywords, Severity fallback) {
    this.detectKeywords = detectKeywords;
    this.fallback = fallback;
  }

  Severity of(LogRecord r) {
    Severity s = Severity.parse(r.severity()); // (1)
    if (s != null) {
      return s;
    }
    int status = r.indexOf(Fields.STATUS); // (2)
    if (status >= 0 && r.kind(status) == LogRecord.Kind.LONG) {
      long code = r.longValue(status);
      return code >= 500 ? Severity.ERROR : code >= 400 ? Severity.WARNING : Severity.INFO;
    }
    if (detectKeywords) { // (3)
      s = keyword(r);
      if (s != null) {
        return s;
      }
    }
    return fallback; // (4)
  }

  /**
   * The severity of a message that carries no level of its own, {@code b[start, end)}: a
   * keyword if enabled, else the default. For a record of the plain format this is {@link #of}.
   */
  Severity ofMessage(byte[] b, int start, int end) {
    Severity s = detectKeywords ? keyword(b, start, end) : null;
    return s != null ? s : fallback;
  }

  private static Severity keyword(LogRecord r) {
    if (r.messageText() != null) {
      byte[] b = r.messageText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return keyword(b, 0, b.length);
    }
    return r.messageStart() >= 0 ? keyword(r.src(), r.messageStart(), r.messageEnd())
        : keyword(r.src(), r.srcStart(), r.srcEnd());
  }

  /**
   * The first keyword in the window that begins a word. Every keyword is four or more upper-case
   * letters, so only places where four upper-case letters begin are looked at further; they are
   * found eight bytes at a time, and most lines have few or none in their first 100 bytes.
   */
  static Severity keyword(byte[] b, int start, int end) {
    end = Math.min(end, start + KEYWORD_WINDOW);
    long next = upperCaseAt(b, start, end);
    for (int w = start; w < end; w += 8) {
      long upper = next;
      next = upperCaseAt(b, w + 8, end);
      // A byte is flagged where it and the three after it are upper case, the next word's too.
      long run = upper & (upper >>> 8 | next << 56) & (upper >>> 16 | next << 48) & (upper >>> 24 | next << 40);
      for (; run != 0; run &= run - 1) {
        int i = w + (Long.numberOfTrailingZeros(run) >>> 3);
        int c = b[i];
        if (!FIRST[c] || i > start && WORD[b[i - 1] & 0xFF]) {
          continue;
        }
        for (int k = 0; k < KEYWORD_BYTES.length; k++) {
          byte[] kw = KEYWORD_BYTES[k];
          if (i + kw.length <= end && kw[0] == c && matches(b, i, kw) && (i + kw.length == end || !WORD[b[i + kw.length] & 0xFF])) {
            return SEVERITIES[k];
          }
        }
      }
    }
    return null;
  }

  /** {@link #upperCase} of the eight bytes from {@code w}, none past {@code end}. */
  private static long upperCaseAt(byte[] b, int w, int end) {
    if (w >= end) {
      return 0;
    }
    long upper;
    if (w + 8 <= b.length) {
      upper = upperCase((long) LONGS.get(b, w));
    } else {
      upper = 0;
      for (int k = 0; k < 8 && w + k < b.length; k++) {
        int c = b[w + k];
        if (c >= 'A' && c <= 'Z') upper |= 0x80L << (k << 3);
      }
    }
    return end - w < 8 ? upper & (1L << ((end - w) << 3)) - 1 : upper;
  }

  /** The high bit of each byte of {@code v} that is an ASCII upper-case letter. */
  private static long upperCase(long v) {
    long ascii = v & 0x7F7F7F7F7F7F7F7FL; // no carries between bytes below
    long atLeastA = ascii + 0x3F3F3F3F3F3F3F3FL; // high bit set where the byte >= 'A'
    long aboveZ = ascii + 0x2525252525252525L; // high bit set where the byte > 'Z'
    return atLeastA & ~aboveZ & ~v & 0x8080808080808080L;
  }

  private static boolean matches(byte[] b, int at, byte[] w) {
    for (int j = 1; j < w.length; j++) {
      if (b[at + j] != w[j]) return false;
    }
    return true;
  }
}
