package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  private final Rfc3339 rfc = new Rfc3339();

  private final JsonOut out = new JsonOut(64);

  private String write(long s, int n) {
    out.clear();
    rfc.write(s, n, out);
    return new String(out.buffer(), 0, out.length(), StandardCharsets.US_ASCII);
  }

  @Test
  void write_fractionDigits_areAsFewAsTheValueNeeds() {
    long s = Instant.parse("2024-02-29T23:59:59Z").getEpochSecond();
    assertEquals("\"2024-02-29T23:59:59Z\"", write(s, 0));
    assertEquals("\"2024-02-29T23:59:59.120Z\"", write(s, 120_000_000));
    assertEquals("\"2024-02-29T23:59:59.000123Z\"", write(s, 123_000));
    assertEquals("\"2024-02-29T23:59:59.000000001Z\"", write(s, 1));
  }

  @Test
  void write_cachedSecond_isReplacedWhenTheSecondChanges() {
    long s = Instant.parse("1999-12-31T23:59:59Z").getEpochSecond();
    assertEquals("\"1999-12-31T23:59:59Z\"", write(s, 0));
    assertEquals("\"2000-01-01T00:00:00Z\"", write(s + 1, 0));
    assertEquals("\"1970-01-01T00:00:00Z\"", write(0, 0));
  }

  /** What the writer gave before it computed dates itself: java.time's text, cut to 19 characters. */
  private static String javaTime(long s) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
    String text = t.toLocalDate() + "T" + two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
    return "\"" + text.substring(0, Math.min(text.length(), 19)) + "Z\"";
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : String.valueOf(n);
  }

  @Test
  void write_anySecondOfYears0To9999AndAround_isJavaTimesText() {
    long first = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    long last = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
    long[] edges = {first - 1, first, first + 1, last - 1, last, last + 1, -1, 0, 1,
        LocalDateTime.of(-5, 6, 7, 8, 9, 10).toEpochSecond(ZoneOffset.UTC),
        LocalDateTime.of(12344, 2, 29, 1, 2, 3).toEpochSecond(ZoneOffset.UTC),
        LocalDateTime.of(1600, 2, 29, 23, 59, 59).toEpochSecond(ZoneOffset.UTC),
        LocalDateTime.of(1900, 3, 1, 0, 0).toEpochSecond(ZoneOffset.UTC),
        LocalDateTime.of(2100, 2, 28, 12, 0).toEpochSecond(ZoneOffset.UTC)};
    for (long s : edges) {
      assertEquals(javaTime(s), write(s, 0), "second " + s);
    }
    SplittableRandom random = new SplittableRandom(3339);
    for (int k = 0; k < 200_000; k++) {
      long s = random.nextLong(first - 400L * 366 * 86_400, last + 400L * 366 * 86_400);
      assertEquals(javaTime(s), write(s, 0), "second " + s);
    }
    // Every day of four centuries, one of them without its leap day (2100), at a random second.
    long day0 = LocalDateTime.of(1900, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) / 86_400;
    for (long d = day0; d < day0 + 146_097; d++) {
      long s = d * 86_400 + random.nextInt(86_400);
      assertEquals(javaTime(s), write(s, 0), "second " + s);
    }
  }
}
