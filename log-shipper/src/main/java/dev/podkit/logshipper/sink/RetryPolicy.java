package dev.podkit.logshipper.sink;

import dev.podkit.runtime.Backoff;
import java.time.Duration;

/**
 * How an HTTP sink retries a batch that failed (no connection, timeout, 408, 429, 5xx, or
 * Elasticsearch items refused with 429 or 5xx): waits per {@code backoff}, or as long as the
 * server's {@code Retry-After} asks, up to {@code maxRetryAfter}. A refusal for good (another
 * 4xx, for the batch or an Elasticsearch item) is retried the same way unless {@code
 * dropRefused}.
 *
 * @param backoff waits between attempts
 * @param maxAttempts attempts per batch before what is left is rejected and counted ("retries
 *     exhausted"); 0 means forever, the default, so that no default ever drops data
 * @param maxRetryAfter the longest wait a server's Retry-After header can ask for
 * @param dropRefused whether what the destination refuses for good is dropped (counted by
 *     reason) instead of retried; false by default: the data stays, and the sink shows unhealthy
 *     until the destination takes it (a wrong URL, an expired token, a mapping to fix)
 */
public record RetryPolicy(Backoff backoff, int maxAttempts, Duration maxRetryAfter, boolean dropRefused) {
  /** 250 ms doubling to 30 s. */
  public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(250), 2, Duration.ofSeconds(30));

  public RetryPolicy {
    if (maxAttempts < 0) throw new IllegalArgumentException("maxAttempts < 0: " + maxAttempts);
    if (maxRetryAfter.isNegative()) throw new IllegalArgumentException("maxRetryAfter < 0: " + maxRetryAfter);
  }

  /** The default: retry forever with {@link #DEFAULT_BACKOFF}, honouring Retry-After up to 30 s. */
  public static RetryPolicy forever() {
    return new RetryPolicy(DEFAULT_BACKOFF, 0, Duration.ofSeconds(30), false);
  }

  /** The default policy, but giving up after {@code maxAttempts} attempts (0: never). */
  public static RetryPolicy attempts(int maxAttempts) {
    return new RetryPolicy(DEFAULT_BACKOFF, maxAttempts, Duration.ofSeconds(30), false);
  }

  /** This policy, dropping (or not) what the destination refuses for good. */
  public RetryPolicy withDropRefused(boolean drop) {
    return new RetryPolicy(backoff, maxAttempts, maxRetryAfter, drop);
  }
}
