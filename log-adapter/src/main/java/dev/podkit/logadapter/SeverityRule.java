package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

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
  /** Bytes that are part of a word (letters, digits, underscore): keywords must stand alone. */
  private static final boolean[] WORD = new boolean[256];
  /** Bytes that begin some keyword. */
  private static final boolean[] FIRST = new boolean[256];

  static {
    for (int k = 0; k < KEYWORDS.length; k++) {
      KEYWORD_BYTES[k] = KEYWORDS[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      FIRST[KEYWORD_BYTES[k][0]] = true;
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

  private static Severity keyword(LogRecord r) {
    byte[] b;
    int start;
    int end;
    if (r.messageText() != null) {
      b = r.messageText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      start = 0;
      end = b.length;
    } else {
      b = r.src();
      start = r.messageStart() >= 0 ? r.messageStart() : r.srcStart();
      end = r.messageStart() >= 0 ? r.messageEnd() : r.srcEnd();
    }
    end = Math.min(end, start + KEYWORD_WINDOW);
    boolean afterWord = false;
    for (int i = start; i < end; i++) {
      int c = b[i] & 0xFF;
      if (!afterWord && FIRST[c]) {
        for (int k = 0; k < KEYWORD_BYTES.length; k++) {
          byte[] w = KEYWORD_BYTES[k];
          if (i + w.length <= end && w[0] == c && matches(b, i, w) && (i + w.length == end || !WORD[b[i + w.length] & 0xFF])) {
            return Severity.parse(KEYWORDS[k]);
          }
        }
      }
      afterWord = WORD[c];
    }
    return null;
  }

  private static boolean matches(byte[] b, int at, byte[] w) {
    for (int j = 1; j < w.length; j++) {
      if (b[at + j] != w[j]) return false;
    }
    return true;
  }
}
