package dev.podkit.logformat;


/**
 * Timestamp parsers on bytes for the built-in formats: RFC 3339, the Common Log Format's
 * {@code dd/Mon/yyyy:HH:mm:ss +zzzz}, the parts of RFC 3164's {@code Mmm dd hh:mm:ss}, and epoch
 * numbers. They allocate nothing and answer a failure as a value (false or {@link #INVALID}), never
 * as an exception.
 */
public final class Times {
  /** What the long-valued parsers answer for text that is not a valid time. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
  };

  private Times() {}

  /**
   * Parses an RFC 3339 timestamp filling all of {@code b[start, end)} ({@code
   * 2024-04-13T07:59:37.505201169-05:00}; also a lower-case {@code t}/{@code z}, a space for the
   * {@code T}, and a {@code ±hhmm} offset) and sets it as the record's time. Fractions keep 9
   * digits; further digits are dropped.
   *
   * @return whether the bytes were a valid timestamp (the record is untouched if not)
   */
  public static boolean rfc3339(byte[] b, int start, int end, LogRecord record) {
    if (start < 0 || end > b.length || end - start < 20) {
      return false;
    }
    int p = start;
    int year = digits(b, p, 4);
    int month = digits(b, p + 5, 2);
    int day = digits(b, p + 8, 2);
    int hour = digits(b, p + 11, 2);
    int minute = digits(b, p + 14, 2);
    int second = digits(b, p + 17, 2);
    byte t = b[p + 10];
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60
        || b[p + 4] != '-' || b[p + 7] != '-' || (t != 'T' && t != 't' && t != ' ')
        || b[p + 13] != ':' || b[p + 16] != ':') {
      return false;
    }
    p += 19;
    int nanos = 0;
    if (b[p] == '.') {
      p++;
      int first = p;
      while (p < end && isDigit(b[p])) {
        if (p - first < 9) {
          nanos = nanos * 10 + (b[p] - '0');
        }
        p++;
      }
      int n = p - first;
      if (n == 0) {
        return false;
      }
      if (n < 9) {
        nanos *= (int) POW10[9 - n];
      }
    }
    int offset = offset(b, p, end);
    if (offset == Integer.MIN_VALUE) {
      return false;
    }
    // A leap second (:60) is read as the first second of the next minute, as java.time does.
    long epoch = epochSeconds(year, month, day, hour, minute, second) - offset;
    record.time(epoch, nanos);
    return true;
  }

  /** The zone offset in seconds of {@code Z}, {@code ±hh:mm} or {@code ±hhmm} filling [p, end). */
  private static int offset(byte[] b, int p, int end) {
    int n = end - p;
    if (n == 1 && (b[p] == 'Z' || b[p] == 'z')) {
      return 0;
    }
    if ((n != 6 && n != 5) || (b[p] != '+' && b[p] != '-')) {
      return Integer.MIN_VALUE;
    }
    int hours = digits(b, p + 1, 2);
    int minutes = n == 6 ? (b[p + 3] == ':' ? digits(b, p + 4, 2) : -1) : digits(b, p + 3, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
      return Integer.MIN_VALUE;
    }
    int seconds = hours * 3600 + minutes * 60;
    return b[p] == '-' ? -seconds : seconds;
  }

  /**
   * Parses the 26 bytes of a Common Log Format time at {@code b[start]}: {@code
   * 10/Oct/2000:13:55:36 -0700}.
   *
   * @return epoch seconds, or {@link #INVALID}
   */
  public static long clf(byte[] b, int start) {
    if (start < 0 || start + 26 > b.length) {
      return INVALID;
    }
    int day = digits(b, start, 2);
    int month = month(b, start + 3);
    int year = digits(b, start + 7, 4);
    int hour = digits(b, start + 12, 2);
    int minute = digits(b, start + 15, 2);
    int second = digits(b, start + 18, 2);
    int offHours = digits(b, start + 22, 2);
    int offMinutes = digits(b, start + 24, 2);
    byte sign = b[start + 21];
    if (day < 1 || month < 1 || year < 0 || day > daysInMonth(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60
        || offHours < 0 || offHours > 23 || offMinutes < 0 || offMinutes > 59
        || b[start + 2] != '/' || b[start + 6] != '/' || b[start + 11] != ':'
        || b[start + 14] != ':' || b[start + 17] != ':' || b[start + 20] != ' '
        || (sign != '+' && sign != '-')) {
      return INVALID;
    }
    int offset = offHours * 3600 + offMinutes * 60;
    return epochSeconds(year, month, day, hour, minute, second) - (sign == '-' ? -offset : offset);
  }

  /**
   * The month 1 to 12 of the English three-letter abbreviation at {@code b[p]} ({@code Jan}, as
   * syslog and CLF write it; any case), or -1.
   */
  public static int month(byte[] b, int p) {
    if (p < 0 || p + 3 > b.length) {
      return -1;
    }
    // Lower-case the three letters into one int so each name is one comparison.
    int key = ((b[p] | 0x20) & 0xff) << 16 | ((b[p + 1] | 0x20) & 0xff) << 8 | ((b[p + 2] | 0x20) & 0xff);
    return switch (key) {
      case 0x6a616e -> 1; // jan
      case 0x666562 -> 2; // feb
      case 0x6d6172 -> 3; // mar
      case 0x617072 -> 4; // apr
      case 0x6d6179 -> 5; // may
      case 0x6a756e -> 6; // jun
      case 0x6a756c -> 7; // jul
      case 0x617567 -> 8; // aug
      case 0x736570 -> 9; // sep
      case 0x6f6374 -> 10; // oct
      case 0x6e6f76 -> 11; // nov
      case 0x646563 -> 12; // dec
      default -> -1;
    };
  }

  /**
   * Sets the record's time from an epoch number whose unit is guessed from its magnitude: seconds
   * below 10^11 (until the year 5138), else milliseconds below 10^14, microseconds below 10^17,
   * else nanoseconds.
   */
  public static void epochNumber(long value, LogRecord record) {
    long abs = Math.abs(value == Long.MIN_VALUE ? Long.MAX_VALUE : value);
    if (abs < 100_000_000_000L) {
      record.time(value, 0);
    } else if (abs < 100_000_000_000_000L) {
      record.time(Math.floorDiv(value, 1_000L), (int) Math.floorMod(value, 1_000L) * 1_000_000);
    } else if (abs < 100_000_000_000_000_000L) {
      record.time(Math.floorDiv(value, 1_000_000L), (int) Math.floorMod(value, 1_000_000L) * 1_000);
    } else {
      record.time(Math.floorDiv(value, 1_000_000_000L), (int) Math.floorMod(value, 1_000_000_000L));
    }
  }

  /**
   * Sets the record's time from a decimal epoch number ({@code 1700000000.123}, as zap and
   * structlog write seconds), its unit guessed as by {@link #epochNumber(long, LogRecord)}.
   *
   * @return false for a value that is not finite or out of range
   */
  public static boolean epochDecimal(double value, LogRecord record) {
    if (!Double.isFinite(value) || Math.abs(value) >= 9.2e18) {
      return false;
    }
    double abs = Math.abs(value);
    double seconds = abs < 1e11 ? value : abs < 1e14 ? value / 1e3 : abs < 1e17 ? value / 1e6 : value / 1e9;
    double whole = Math.floor(seconds);
    int nanos = (int) Math.min(999_999_999L, Math.round((seconds - whole) * 1e9));
    record.time((long) whole, nanos);
    return true;
  }

  /** Seconds since the epoch of a UTC date and time; the fields must be in range. */
  public static long epochSeconds(int year, int month, int day, int hour, int minute, int second) {
    return epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days arithmetic). */
  static long epochDay(int year, int month, int day) {
    // Count years from March so that the leap day is the last day of a year.
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    int shifted = month > 2 ? month - 3 : month + 9;
    long dayOfYear = (153L * shifted + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** The number of days in a month of a year. */
  public static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The value of {@code n} ASCII digits at {@code b[p]}, or -1 (also when past the end). */
  static int digits(byte[] b, int p, int n) {
    if (p < 0 || p + n > b.length) {
      return -1;
    }
    int v = 0;
    for (int i = p; i < p + n; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
