package dev.podkit.testfixtures;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits on a condition with a deadline: the test helper that replaces bare sleeps. */
public final class Await {
  private Await() {}

  /** Returns once {@code condition} holds; fails with {@code what} when {@code timeout} passes. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      pause(10, what);
    }
  }

  /**
   * Checks that {@code condition} keeps holding for {@code period} (something must not happen
   * too soon); fails with {@code what} as soon as it does not.
   */
  public static void during(Duration period, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    while (true) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true within " + period + ": " + what);
      }
      if (System.nanoTime() - end >= 0) {
        return;
      }
      pause(10, what);
    }
  }

  /**
   * Asks {@code source} until its answer satisfies {@code done}, and returns that answer; fails
   * with the last answer when {@code timeout} passes.
   */
  public static <T> T get(Duration timeout, String what, Supplier<T> source, Predicate<T> done) {
    return get(timeout, what, source, done, () -> "");
  }

  /**
   * As {@link #get(Duration, String, Supplier, Predicate)}, and a failure also carries what
   * {@code context} says then (a process's stderr, say).
   */
  public static <T> T get(Duration timeout, String what, Supplier<T> source, Predicate<T> done, Supplier<String> context) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = source.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        String more = context.get();
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last
            + (more.isEmpty() ? "" : "\n" + more));
      }
      pause(20, what);
      last = source.get();
    }
    return last;
  }

  /** The wait between two looks at a condition. */
  private static void pause(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what);
    }
  }
}
