package dev.podkit.runtime;

import java.time.Duration;

/**
 * Time as a component sees it: a monotonic reading and a way to wait. Injected so that tests move
 * a fake clock instead of sleeping.
 */
public interface Ticker {
  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Waits for {@code d}; a fake ticker advances its clock instead. */
  void sleep(Duration d) throws InterruptedException;

  /** The real clock. */
  static Ticker system() {
    return new Ticker() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(Duration d) throws InterruptedException {
        if (d.isPositive()) {
          Thread.sleep(d);
        }
      }
    };
  }
}
