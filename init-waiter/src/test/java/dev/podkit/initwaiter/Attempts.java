package dev.podkit.initwaiter;

import dev.podkit.testfixtures.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Repeats a probe's checks the way the waiter does, for tests of targets that change state. */
final class Attempts {
  private Attempts() {}

  /**
   * Checks until {@code done} accepts a result, and returns the results seen, consecutive
   * duplicates collapsed; the last one is the one that ended the loop. Fails, listing them, when
   * {@code within} passes first.
   */
  static List<ProbeResult> until(Probe probe, Predicate<ProbeResult> done, Duration within) {
    List<ProbeResult> seen = new ArrayList<>();
    try {
      Await.until(within, "the probe to settle", () -> {
        ProbeResult r = check(probe);
        if (seen.isEmpty() || !seen.getLast().equals(r)) {
          seen.add(r);
        }
        return done.test(r);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; results: " + seen, e);
    }
    return seen;
  }

  private static ProbeResult check(Probe probe) {
    try {
      return probe.check(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
