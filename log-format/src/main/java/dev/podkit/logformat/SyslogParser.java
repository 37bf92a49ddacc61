package dev.podkit.logformat;

import java.time.Clock;
import java.time.ZoneId;

/**
 * A parser of syslog lines of either format, chosen per line: RFC 5424 when the {@code <PRI>} is
 * followed by a version number and a space ({@code <34>1 }), else RFC 3164.
 */
public final class SyslogParser implements LineParser {
  private final Rfc5424Parser rfc5424 = new Rfc5424Parser();
  private final Rfc3164Parser rfc3164;

  /** A parser whose RFC 3164 part reads timestamps in {@code zone}, the year from {@code clock}. */
  public SyslogParser(ZoneId zone, Clock clock) {
    this.rfc3164 = new Rfc3164Parser(zone, clock);
  }

  @Override
  public Result parse(LogRecord record) {
    byte[] b = record.src();
    int e = record.srcEnd();
    int p = SyslogPri.end(b, record.srcStart(), e);
    // An RFC 3164 line after its PRI starts with a month name or a year ("2024-"), never "1 ".
    boolean versioned = p >= 0 && p + 1 < e && b[p] >= '1' && b[p] <= '9'
        && (b[p + 1] == ' ' || (p + 2 < e && Times.isDigit(b[p + 1]) && b[p + 2] == ' '));
    return versioned ? rfc5424.parse(record) : rfc3164.parse(record);
  }
}
