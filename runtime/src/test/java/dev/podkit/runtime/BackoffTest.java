package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delay_growsByFactor_untilTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(250), 2, Duration.ofSeconds(1));
    assertEquals(Duration.ofMillis(250), b.delay(0));
    assertEquals(Duration.ofMillis(500), b.delay(1));
    assertEquals(Duration.ofSeconds(1), b.delay(2));
    assertEquals(Duration.ofSeconds(1), b.delay(50));
    assertEquals(Duration.ofSeconds(1), b.delay(Integer.MAX_VALUE));
  }

  @Test
  void new_badArguments_areRejectedWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1)));
    assertEquals("initial <= 0: PT0S", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)));
  }
}
