package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatusRangeTest {
  @Test
  void parse_codesRangesAndClasses_matchExactly() {
    StatusRange r = StatusRange.parse("200, 204-206,3xx");
    assertTrue(r.contains(200));
    assertFalse(r.contains(201));
    assertTrue(r.contains(205));
    assertTrue(r.contains(301));
    assertTrue(r.contains(399));
    assertFalse(r.contains(400));
  }

  @Test
  void parse_nonsense_isRejected() {
    for (String bad : new String[] {"", "abc", "2x", "600", "299-200", "99"}) {
      assertThrows(IllegalArgumentException.class, () -> StatusRange.parse(bad), bad);
    }
  }
}
