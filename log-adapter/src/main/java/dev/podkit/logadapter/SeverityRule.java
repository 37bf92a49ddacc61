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
  /** Bytes {@link #keyword} reads from the window's start: the window in whole longs. */
  private static final int WINDOW_READ = (KEYWORD_WINDOW + 7) / 8 * 8;
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
    if (WINDOW_READ > 128) throw new AssertionError("keyword() holds the window in two longs: " + KEYWORD_WINDOW);
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
   * letters, so only places where four upper-case letters begin are looked at further. The
   * window's upper-case letters are found eight bytes at a time and gathered into a mask of a bit
   * per byte (two longs for the 100 bytes), in which runs of four are found at once, with no
   * branch per eight bytes; most lines have few such runs or none.
   */
  static Severity keyword(byte[] b, int start, int end) {
    end = Math.min(end, start + KEYWORD_WINDOW);
    int n = end - start;
    if (n < 4) {
      return null;
    }
    if (start + WINDOW_READ > b.length) {
      // Near the array's end the reads below would run past it: search a zero-padded copy.
      return keyword(java.util.Arrays.copyOfRange(b, start, start + WINDOW_READ), 0, n);
    }
    long lo = 0; // the window's bytes 0-63, a bit each
    for (int k = 0; k < 64; k += 8) {
      lo |= upperCaseBits((long) LONGS.get(b, start + k)) << k;
    }
    long hi = 0; // bytes 64-103
    for (int k = 64; k < WINDOW_READ; k += 8) {
      hi |= upperCaseBits((long) LONGS.get(b, start + k)) << (k - 64);
    }
    if (n < 64) {
      lo &= (1L << n) - 1;
      hi = 0;
    } else {
      hi &= (1L << (n - 64)) - 1;
    }
    // A bit where it and the three after it are set.
    long runLo = lo & (lo >>> 1 | hi << 63) & (lo >>> 2 | hi << 62) & (lo >>> 3 | hi << 61);
    long runHi = hi & hi >>> 1 & hi >>> 2 & hi >>> 3;
    Severity s = firstKeyword(b, start, end, start, runLo);
    return s != null || runHi == 0 ? s : firstKeyword(b, start, end, start + 64, runHi);
  }

  /** The first keyword found where {@code runs} has a bit (bit j for {@code b[base + j]}). */
  private static Severity firstKeyword(byte[] b, int start, int end, int base, long runs) {
    for (; runs != 0; runs &= runs - 1) {
      int i = base + Long.numberOfTrailingZeros(runs);
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
    return null;
  }

  /** Bit j set where byte j of {@code v} (little-endian) is an ASCII upper-case letter. */
  private static long upperCaseBits(long v) {
    // The flags are each byte's high bit; the multiplication gathers them into the top byte.
    return (upperCase(v) >>> 7) * 0x0102040810204080L >>> 56;
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
