package dev.podkit.runtime;

import java.time.Duration;

/**
 * Exponential backoff with a cap: the n-th wait (from 0) is {@code initial * factor^n}, at most
 * {@code max}.
 *
 * @param initial the first wait, positive
 * @param factor growth per attempt, at least 1 (1 means a fixed interval)
 * @param max the longest wait, at least {@code initial}
 */
public record Backoff(Duration initial, double factor, Duration max) {
  public Backoff {
    if (!initial.isPositive()) throw new IllegalArgumentException("initial <= 0: " + initial);
    if (!(factor >= 1)) throw new IllegalArgumentException("factor < 1: " + factor);
    if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max < initial: " + max);
  }

  /** The wait before attempt {@code n + 1}, after {@code n + 1} failures. */
  public Duration delay(int n) {
    double nanos = initial.toNanos() * Math.pow(factor, Math.max(0, n));
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }
}
