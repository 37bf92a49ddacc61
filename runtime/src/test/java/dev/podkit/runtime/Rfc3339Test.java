package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  private final Rfc3339 rfc = new Rfc3339();

  private String write(long s, int n) {
    JsonOut out = new JsonOut();
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
}
