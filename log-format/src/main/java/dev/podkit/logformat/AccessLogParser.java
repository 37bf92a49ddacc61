package dev.podkit.logformat;

import java.util.Arrays;

/**
 * A parser of HTTP access logs in the Common Log Format and the Combined format, which are both
 * nginx's default ({@code combined}, and {@code main} with {@code "$http_x_forwarded_for"}) and
 * Apache's {@code common} and {@code combined}:
 *
 * <pre>
 * remote_addr ident remote_user [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "referer" "user agent"
 * </pre>
 *
 * <p>The referer and user agent are optional, so one parser reads both formats. The message is
 * the request line. Fields: {@code remote_addr}, {@code remote_user}, {@code method}, {@code
 * path}, {@code protocol}, {@code status} and {@code bytes} (numbers), {@code referer}, {@code
 * user_agent}; a {@code -} user, referer or user agent is left out, and {@code -} bytes (Apache's
 * way of writing zero) is 0. After the user agent, the parser takes one quoted value as {@value
 * #FORWARDED_FOR} (nginx's {@code main}) and one decimal with a fraction as {@code duration} in
 * seconds (nginx's {@code $request_time}), in any order; whatever follows is kept whole as
 * {@value #EXTRA}. The severity is left unset. Quoted values with backslash escapes ({@code \"},
 * {@code \\}, {@code \xHH}) are decoded; others stay byte ranges of the line.
 */
public final class AccessLogParser implements LineParser {
  /** The client chain of nginx's {@code main} format ({@code $http_x_forwarded_for}). */
  public static final String FORWARDED_FOR = "forwarded_for";
  /** The text after the fields this parser knows, kept whole. */
  public static final String EXTRA = "extra";

  private static final int TIME_LENGTH = 26;
  /** The names of the quoted values after the byte count, in order. */
  private static final String[] QUOTED_NAMES = {Fields.REFERER, Fields.USER_AGENT, FORWARDED_FOR};

  // Consecutive lines mostly share their second, so the last time text and its value are kept.
  private final byte[] lastTime = new byte[TIME_LENGTH];
  private long lastEpoch = Times.INVALID;
  /** Whether the last quoted value {@link #closingQuote} scanned holds a backslash. */
  private boolean escaped;

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    // (1) remote_addr, ident, remote_user up to " [".
    int addrEnd = indexOf(b, s, e, (byte) ' ');
    int identEnd = addrEnd <= s ? -1 : indexOf(b, addrEnd + 1, e, (byte) ' ');
    int userEnd = identEnd < 0 ? -1 : indexOfSpaceBracket(b, identEnd, e);
    if (userEnd < 0) {
      return Result.NO_MATCH;
    }
    // (2) [time]
    int t = userEnd + 2;
    if (t + TIME_LENGTH + 3 > e || b[t + TIME_LENGTH] != ']') {
      return Result.NO_MATCH;
    }
    long epoch = time(b, t);
    if (epoch == Times.INVALID) {
      return Result.NO_MATCH;
    }
    // (3) "request"
    int rs = t + TIME_LENGTH + 3;
    if (b[rs - 2] != ' ' || b[rs - 1] != '"') {
      return Result.NO_MATCH;
    }
    int re = closingQuote(b, rs, e);
    if (re < 0) {
      return Result.NO_MATCH;
    }
    boolean requestEscaped = escaped;
    // (4) status and bytes
    int statusStart = re + 2;
    int statusEnd = statusStart > e || b[re + 1] != ' ' ? -1 : indexOfOrEnd(b, statusStart, e, (byte) ' ');
    int bytesEnd = statusEnd < 0 || statusEnd == e ? -1 : indexOfOrEnd(b, statusEnd + 1, e, (byte) ' ');
    long status = bytesEnd < 0 ? Numbers.NOT_A_NUMBER : number(b, statusStart, statusEnd);
    long bytes = bytesEnd < 0 ? Numbers.NOT_A_NUMBER : number(b, statusEnd + 1, bytesEnd);
    if (status == Numbers.NOT_A_NUMBER || bytes == Numbers.NOT_A_NUMBER) {
      return Result.NO_MATCH;
    }

    r.time(epoch, 0);
    r.text(Fields.REMOTE_ADDR, s, addrEnd);
    if (userEnd > identEnd + 1 && !isDash(b, identEnd + 1, userEnd)) {
      r.text(Fields.REMOTE_USER, identEnd + 1, userEnd);
    }
    request(r, b, rs, re, requestEscaped);
    if (status >= 0) {
      r.number(Fields.STATUS, status);
    }
    r.number(Fields.BYTES, Math.max(bytes, 0));
    trailer(r, b, bytesEnd, e);
    return Result.EVENT;
  }

  /** The epoch seconds of the CLF time at {@code b[t]}, from the cache when it is the last one. */
  private long time(byte[] b, int t) {
    if (lastEpoch != Times.INVALID && Arrays.equals(lastTime, 0, TIME_LENGTH, b, t, t + TIME_LENGTH)) {
      return lastEpoch;
    }
    long epoch = Times.clf(b, t);
    if (epoch != Times.INVALID) {
      System.arraycopy(b, t, lastTime, 0, TIME_LENGTH);
      lastEpoch = epoch;
    }
    return epoch;
  }

  /** The message and the method, path and protocol of the request line {@code b[rs, re)}. */
  private static void request(LogRecord r, byte[] b, int rs, int re, boolean escaped) {
    if (escaped) {
      decodedRequest(r, Escapes.accessLog(b, rs, re));
      return;
    }
    r.message(rs, re);
    int m = indexOf(b, rs, re, (byte) ' ');
    if (m < 0) {
      return; // "-", or bytes that are not HTTP (a TLS handshake on the plain port).
    }
    int last = lastIndexOf(b, m + 1, re, (byte) ' ');
    boolean hasProtocol = last > m && re - last > 5 && b[last + 1] == 'H' && b[last + 2] == 'T'
        && b[last + 3] == 'T' && b[last + 4] == 'P' && b[last + 5] == '/';
    r.text(Fields.METHOD, rs, m);
    r.text(Fields.PATH, m + 1, hasProtocol ? last : re);
    if (hasProtocol) {
      r.text(Fields.PROTOCOL, last + 1, re);
    }
  }

  /** As {@link #request}, for a request line with escapes, decoded (the rare, allocating path). */
  private static void decodedRequest(LogRecord r, String request) {
    r.message(request);
    int m = request.indexOf(' ');
    if (m < 0) {
      return;
    }
    int last = request.lastIndexOf(' ');
    boolean hasProtocol = last > m && request.startsWith("HTTP/", last + 1);
    r.text(Fields.METHOD, request.substring(0, m));
    r.text(Fields.PATH, request.substring(m + 1, hasProtocol ? last : request.length()));
    if (hasProtocol) {
      r.text(Fields.PROTOCOL, request.substring(last + 1));
    }
  }

  /**
   * The optional fields after the byte count at {@code b[p]}: referer and user agent, then
   * forwarded-for and duration, then the rest as extra.
   */
  private void trailer(LogRecord r, byte[] b, int p, int e) {
    int quoted = 0;
    boolean duration = false;
    while (p < e) {
      int start = p + 1;
      if (b[p] != ' ' || start == e) {
        break;
      }
      if (b[start] == '"' && quoted < QUOTED_NAMES.length) {
        int end = closingQuote(b, start + 1, e);
        if (end < 0) {
          break;
        }
        quotedValue(r, QUOTED_NAMES[quoted++], b, start + 1, end, escaped);
        p = end + 1;
        continue;
      }
      // The duration comes after the user agent only, so that a bare referer stays extra.
      int end = indexOfOrEnd(b, start, e, (byte) ' ');
      double seconds = duration || quoted < 2 ? Double.NaN : Numbers.parseDecimal(b, start, end);
      if (Double.isNaN(seconds)) {
        break;
      }
      r.decimal(Fields.DURATION, seconds);
      duration = true;
      p = end;
    }
    int rest = p < e && b[p] == ' ' ? p + 1 : p;
    if (rest < e) {
      r.text(EXTRA, rest, e);
    }
  }

  private static void quotedValue(LogRecord r, String name, byte[] b, int start, int end, boolean escaped) {
    if (isDash(b, start, end)) {
      return;
    }
    if (escaped) {
      r.text(name, Escapes.accessLog(b, start, end));
    } else {
      r.text(name, start, end);
    }
  }

  /** A status or byte count: digits, or -1 for {@code -}, or {@link Numbers#NOT_A_NUMBER}. */
  private static long number(byte[] b, int start, int end) {
    // Digits first: a dash test first would see its second half only on one-digit counts, rare
    // enough that C2 compiled it as never taken and recompiled the whole parse at the first one.
    long v = Numbers.parseLong(b, start, end);
    if (v >= 0) {
      return v;
    }
    return isDash(b, start, end) ? -1 : Numbers.NOT_A_NUMBER;
  }

  /**
   * The index of the quote that closes a value starting at {@code b[p]}, or -1; a backslash
   * escapes the byte after it. Sets {@link #escaped}.
   */
  private int closingQuote(byte[] b, int p, int e) {
    escaped = false;
    for (; p < e; p++) {
      byte c = b[p];
      if (c == '"') {
        return p;
      }
      if (c == '\\') {
        escaped = true;
        p++;
      }
    }
    return -1;
  }

  private static boolean isDash(byte[] b, int start, int end) {
    return end - start == 1 && b[start] == '-';
  }

  private static int indexOf(byte[] b, int p, int e, byte c) {
    for (; p < e; p++) {
      if (b[p] == c) {
        return p;
      }
    }
    return -1;
  }

  private static int indexOfOrEnd(byte[] b, int p, int e, byte c) {
    int i = indexOf(b, p, e, c);
    return i < 0 ? e : i;
  }

  private static int lastIndexOf(byte[] b, int from, int e, byte c) {
    for (int p = e - 1; p >= from; p--) {
      if (b[p] == c) {
        return p;
      }
    }
    return -1;
  }

  /** The index of the space of the first " [" at or after {@code p}, or -1. */
  private static int indexOfSpaceBracket(byte[] b, int p, int e) {
    for (; p + 1 < e; p++) {
      if (b[p] == ' ' && b[p + 1] == '[') {
        return p;
      }
    }
    return -1;
  }
}
