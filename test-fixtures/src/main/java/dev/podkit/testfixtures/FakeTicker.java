package dev.podkit.testfixtures;

import dev.podkit.runtime.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Ticker} whose clock moves only when code sleeps on it (or a test calls
 * {@link #advance}); it records every sleep, so tests assert the exact schedule.
 */
public final class FakeTicker implements Ticker {
  private long nanos = 1_000_000_000L;
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    if (d.isPositive()) {
      nanos += d.toNanos();
    }
  }

  /** Moves the clock forward by {@code d}. */
  public synchronized void advance(Duration d) {
    nanos += d.toNanos();
  }

  /** Every duration slept, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
