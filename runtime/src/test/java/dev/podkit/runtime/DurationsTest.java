package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parse_unitsAndCompounds_giveExactDurations() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
    assertEquals(Duration.ZERO, Durations.parse("0s"));
  }

  @Test
  void parse_garbage_explainsTheSyntax() {
    for (String bad : new String[] {"", "abc", "10x", "5s3", "-1s", "s"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
      assertTrue(e.getMessage().contains("500ms"), e.getMessage());
    }
  }

  @Test
  void format_roundTripsThroughParse() {
    for (String s : new String[] {"250ms", "10s", "2m", "1h30m", "1h0m5s", "0s"}) {
      Duration d = Durations.parse(s);
      assertEquals(d, Durations.parse(Durations.format(d)), s);
    }
    assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
  }
}
