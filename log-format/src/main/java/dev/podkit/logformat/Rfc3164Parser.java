package dev.podkit.logformat;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A parser of BSD syslog lines (RFC 3164), as syslog daemons write them to files and old devices
 * send them: {@code <34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed}. The {@code <PRI>} is
 * optional (files leave it out); the timestamp may also be RFC 3339 (rsyslog's high-precision
 * format). The host is left out when the first word after the time is already the tag ({@code
 * su:} or {@code su[1]:}); a line without a tag ending in {@code :} has no {@code app} and all its
 * text after the host is the message (RFC 3164 §5.4's second example).
 *
 * <p>A line with a {@code <PRI>} but no valid timestamp is an event with the facility and
 * severity and the rest as message; a line with neither does not match. The year and zone are not
 * in the line: see {@link SyslogClock}.
 */
public final class Rfc3164Parser implements LineParser {
  /** Tags longer than this are not tags (RFC 3164 allows 32; some daemons write longer ones). */
  private static final int MAX_TAG = 64;

  private final SyslogClock clock;

  /** A parser that reads timestamps in {@code zone} and takes the year from {@code clock}. */
  public Rfc3164Parser(ZoneId zone, Clock clock) {
    this.clock = new SyslogClock(Objects.requireNonNull(zone, "zone"), Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    int priEnd = SyslogPri.end(b, s, e);
    int p = priEnd < 0 ? s : priEnd;
    int timeEnd = timestamp(r, b, p, e);
    if (timeEnd < 0) {
      if (priEnd < 0) {
        return Result.NO_MATCH;
      }
      SyslogPri.apply(r, b, s, priEnd);
      r.message(priEnd, e);
      return Result.EVENT;
    }
    if (priEnd >= 0) {
      SyslogPri.apply(r, b, s, priEnd);
    }
    p = timeEnd < e && b[timeEnd] == ' ' ? timeEnd + 1 : timeEnd;
    int wordEnd = wordEnd(b, p, e);
    if (tagEnd(b, p, wordEnd) < 0 && wordEnd < e) {
      r.text(Fields.HOST, p, wordEnd);
      p = wordEnd + 1;
    }
    p = tag(r, b, p, e);
    r.message(p, e);
    return Result.EVENT;
  }

  /** Sets the time of the timestamp at {@code b[p]} and answers the index after it, or -1. */
  private int timestamp(LogRecord r, byte[] b, int p, int e) {
    if (p < e && Times.isDigit(b[p])) {
      int end = wordEnd(b, p, e);
      return Times.rfc3339(b, p, end, r) ? end : -1;
    }
    // Mmm dd hh:mm:ss, the day padded with a space; also an unpadded day (Mmm d hh:mm:ss).
    if (p + 14 > e || b[p + 3] != ' ') {
      return -1;
    }
    int dayStart = b[p + 4] == ' ' ? p + 5 : p + 4;
    int dayEnd = dayStart + 1 < e && Times.isDigit(b[dayStart + 1]) ? dayStart + 2 : dayStart + 1;
    int t = dayEnd + 1;
    if (t + 8 > e || b[dayEnd] != ' ' || b[t + 2] != ':' || b[t + 5] != ':') {
      return -1;
    }
    long epoch = clock.epochSeconds(Times.month(b, p), Times.digits(b, dayStart, dayEnd - dayStart),
        Times.digits(b, t, 2), Times.digits(b, t + 3, 2), Times.digits(b, t + 6, 2));
    if (epoch == Times.INVALID) {
      return -1;
    }
    r.time(epoch, 0);
    return t + 8;
  }

  /**
   * Sets {@code app} and {@code pid} from a tag ({@code app:} or {@code app[pid]:}) at {@code
   * b[p]} and answers where the message starts: after the tag and one space, or {@code p} when
   * there is no tag.
   */
  private static int tag(LogRecord r, byte[] b, int p, int e) {
    int end = tagEnd(b, p, wordEnd(b, p, e));
    if (end < 0) {
      return p;
    }
    int bracket = indexOf(b, p, end, (byte) '[');
    if (bracket < 0) {
      r.text(Fields.APP, p, end - 1);
    } else {
      int pidEnd = end - 2;
      long pid = Numbers.parseLong(b, bracket + 1, pidEnd);
      r.text(Fields.APP, p, bracket);
      if (pid >= 0) {
        r.number(Fields.PID, pid);
      } else {
        r.text(Fields.PID, bracket + 1, pidEnd);
      }
    }
    return end < e && b[end] == ' ' ? end + 1 : end;
  }

  /**
   * The index after the {@code :} that ends a tag filling the word {@code b[p, wordEnd)} ({@code
   * app:}, {@code app[pid]:}), or -1 when the word is not a tag.
   */
  private static int tagEnd(byte[] b, int p, int wordEnd) {
    if (wordEnd - p < 2 || wordEnd - p > MAX_TAG || b[wordEnd - 1] != ':') {
      return -1;
    }
    int bracket = indexOf(b, p, wordEnd, (byte) '[');
    boolean closed = b[wordEnd - 2] == ']';
    if (bracket < 0) {
      return closed ? -1 : wordEnd;
    }
    // app[pid]: a name, and a pid of at least one byte that ends the word.
    return bracket > p && closed && bracket < wordEnd - 3 ? wordEnd : -1;
  }

  private static int wordEnd(byte[] b, int p, int e) {
    int i = indexOf(b, p, e, (byte) ' ');
    return i < 0 ? e : i;
  }

  private static int indexOf(byte[] b, int p, int e, byte c) {
    for (; p < e; p++) {
      if (b[p] == c) {
        return p;
      }
    }
    return -1;
  }
}
