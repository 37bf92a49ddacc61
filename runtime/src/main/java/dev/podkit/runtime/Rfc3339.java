package dev.podkit.runtime;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes instants as RFC 3339 UTC text, {@code 2024-01-01T00:00:00.123Z}, with 0, 3, 6 or 9
 * fractional digits (as few as the value needs; the forms Cloud Logging and Elasticsearch read).
 * The date and time of day are computed once per second and reused: consecutive log lines
 * mostly share their second. Years 0 to 9999 are computed with integer arithmetic into the
 * cached bytes; others (which need a sign or a fifth digit) go through {@code java.time}.
 */
public final class Rfc3339 {
  private static final long SECONDS_PER_DAY = 86_400;
  /** Days from 0000-03-01 to 1970-01-01: the civil calendar below counts from a March 1. */
  private static final long MARCH_0000_TO_EPOCH = 719_468;
  private static final long FIRST_DAY = -719_528; // 0000-01-01
  private static final long LAST_DAY = 2_932_896; // 9999-12-31
  private long cachedSecond = Long.MIN_VALUE;
  private final byte[] prefix = new byte[19]; // yyyy-MM-ddTHH:mm:ss
  private int prefixLen;

  /** Writes the quoted time into {@code out}. */
  public void write(long epochSeconds, int nanos, JsonOut out) {
    if (epochSeconds != cachedSecond) {
      cache(epochSeconds);
    }
    out.raw('"').raw(prefix, 0, prefixLen);
    if (nanos != 0) {
      int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
      int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos;
      out.raw('.');
      for (int d = digits - 1; d >= 0; d--) {
        out.raw((char) ('0' + value / pow10(d) % 10));
      }
    }
    out.raw('Z').raw('"');
  }

  private void cache(long epochSeconds) {
    long day = Math.floorDiv(epochSeconds, SECONDS_PER_DAY);
    if (day < FIRST_DAY || day > LAST_DAY) {
      cacheOutsideFourDigitYears(epochSeconds);
      return;
    }
    int second = (int) Math.floorMod(epochSeconds, SECONDS_PER_DAY);
    // The civil date of a day count, in 400-year eras of 146,097 days that begin on a March 1,
    // so the leap day is the last day of its year; January and February belong to the next year.
    long z = day + MARCH_0000_TO_EPOCH; // January and February of year 0 are in era -1
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int monthFromMarch = (5 * dayOfYear + 2) / 153;
    int dayOfMonth = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    int year = (int) (era * 400) + yearOfEra + (month <= 2 ? 1 : 0);
    byte[] p = prefix;
    two(p, 0, year / 100);
    two(p, 2, year % 100);
    p[4] = '-';
    two(p, 5, month);
    p[7] = '-';
    two(p, 8, dayOfMonth);
    p[10] = 'T';
    two(p, 11, second / 3600);
    p[13] = ':';
    two(p, 14, second / 60 % 60);
    p[16] = ':';
    two(p, 17, second % 60);
    prefixLen = 19;
    cachedSecond = epochSeconds;
  }

  private void cacheOutsideFourDigitYears(long epochSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    String s = t.toLocalDate().toString() + 'T' + two(t.getHour()) + ':' + two(t.getMinute()) + ':' + two(t.getSecond());
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    prefixLen = Math.min(b.length, prefix.length);
    System.arraycopy(b, 0, prefix, 0, prefixLen);
    cachedSecond = epochSeconds;
  }

  private static void two(byte[] b, int at, int n) {
    b[at] = (byte) ('0' + n / 10);
    b[at + 1] = (byte) ('0' + n % 10);
  }

  private static int pow10(int d) {
    int p = 1;
    for (int i = 0; i < d; i++) p *= 10;
    return p;
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
