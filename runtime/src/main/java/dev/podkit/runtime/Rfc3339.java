package dev.podkit.runtime;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes instants as RFC 3339 UTC text, {@code 2024-01-01T00:00:00.123Z}, with 0, 3, 6 or 9
 * fractional digits (as few as the value needs; the forms Cloud Logging and Elasticsearch read).
 * The date and time of day are computed once per second and reused: consecutive log lines
 * mostly share their second.
 */
public final class Rfc3339 {
  private long cachedSecond = Long.MIN_VALUE;
  private final byte[] prefix = new byte[19]; // yyyy-MM-ddTHH:mm:ss
  private int prefixLen;

  /** Writes the quoted time into {@code out}. */
  public void write(long epochSeconds, int nanos, JsonOut out) {
    if (epochSeconds != cachedSecond) {
      LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
      String s = t.toLocalDate().toString() + 'T' + two(t.getHour()) + ':' + two(t.getMinute()) + ':' + two(t.getSecond());
      byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      prefixLen = Math.min(b.length, prefix.length);
      System.arraycopy(b, 0, prefix, 0, prefixLen);
      cachedSecond = epochSeconds;
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

  private static int pow10(int d) {
    int p = 1;
    for (int i = 0; i < d; i++) p *= 10;
    return p;
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
