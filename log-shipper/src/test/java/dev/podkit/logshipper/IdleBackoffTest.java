package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class IdleBackoffTest {
  /** Which of {@code rounds} rounds look at an always idle file, as a string of 1 (looked) and 0. */
  private static String pattern(IdleBackoff b, int rounds) {
    StringBuilder s = new StringBuilder();
    for (int r = 0; r < rounds; r++) {
      boolean due = b.due("/a.log");
      s.append(due ? '1' : '0');
      if (due) {
        b.polled("/a.log", 0);
      }
    }
    return s.toString();
  }

  @Test
  void due_idleFile_isLookedAtLessAndLessOften_upToTheCap() {
    // Spans 1, 3, 7, then capped at 9 skipped rounds: looked at every 10th round.
    assertEquals("1" + "01" + "0001" + "00000001" + "0000000001" + "0000000001", pattern(new IdleBackoff(9), 35));
  }

  @Test
  void polled_withBytes_makesTheFileDueEveryRoundAgain() {
    IdleBackoff b = new IdleBackoff(9);
    pattern(b, 20);
    while (!b.due("/a.log")) {
      // skip to its next look
    }
    b.polled("/a.log", 42);
    assertTrue(b.due("/a.log"));
    assertTrue(b.due("/a.log"));
  }

  @Test
  void due_zeroCap_isEveryRound_andForgottenFilesStartOver() {
    assertEquals("11111", pattern(new IdleBackoff(0), 5));
    IdleBackoff b = new IdleBackoff(9);
    pattern(b, 20);
    b.retain(Set.of());
    assertEquals("1", pattern(b, 1));
  }
}
