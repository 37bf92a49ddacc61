package dev.podkit.logformat;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Turns an RFC 3164 timestamp, which has neither year nor zone, into epoch seconds: the zone is
 * configured, and the year is the latest one that puts the timestamp no more than {@value
 * #MAX_AHEAD_DAYS} days after the clock's now. So a December line read in January is last
 * year's, a line some hours ahead of a skewed clock stays this year's, and a February 29 is put
 * in the last leap year before that rule's year.
 */
final class SyslogClock {
  /**
   * How far after now a timestamp may lie and still be this year's: enough for clock skew and a
   * zone set wrong (at most 26 hours apart), short enough that a line from weeks ahead is read as
   * last year's.
   */
  static final int MAX_AHEAD_DAYS = 2;

  private final ZoneId zone;
  private final Clock clock;
  // Consecutive lines mostly share their second: the last one's fields and value are kept.
  private int lastKey = -1;
  private long lastEpoch;

  SyslogClock(ZoneId zone, Clock clock) {
    this.zone = zone;
    this.clock = clock;
  }

  /** The epoch seconds of a month, day and time of day, or {@link Times#INVALID} when out of range. */
  long epochSeconds(int month, int day, int hour, int minute, int second) {
    if (month < 1 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 60) {
      return Times.INVALID;
    }
    int key = ((((month * 32 + day) * 24 + hour) * 60 + minute) * 61) + second;
    if (key == lastKey) {
      return lastEpoch;
    }
    long epoch = compute(month, day, hour, minute, second);
    if (epoch != Times.INVALID) {
      lastKey = key;
      lastEpoch = epoch;
    }
    return epoch;
  }

  private long compute(int month, int day, int hour, int minute, int second) {
    long now = clock.instant().getEpochSecond();
    int year = LocalDate.ofInstant(clock.instant(), zone).getYear() + 1;
    long latest = now + MAX_AHEAD_DAYS * 86_400L;
    // Back at most to the leap year before this year, for a February 29.
    for (int y = year; y >= year - 5; y--) {
      if (day > Times.daysInMonth(y, month)) {
        continue;
      }
      try {
        // A leap second is read as the first second of the next minute, as in Times.
        long epoch = LocalDateTime.of(y, month, day, hour, minute, Math.min(second, 59))
            .atZone(zone).toEpochSecond() + (second == 60 ? 1 : 0);
        if (epoch <= latest) {
          return epoch;
        }
      } catch (DateTimeException outOfRange) {
        return Times.INVALID; // Cannot happen for the checked fields; kept so no input throws.
      }
    }
    return Times.INVALID;
  }
}
