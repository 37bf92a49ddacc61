package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.SinkEvents;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.time.Duration;

/**
 * The retry loop the HTTP sinks share: runs a batch's attempts until one finishes it, reporting
 * each failed attempt ({@link SinkEvents#retried}) and waiting per the {@link RetryPolicy}
 * between them. Retries forever unless the policy has a maximum; then what is left is rejected
 * and counted, never dropped silently. A refusal for good (a 4xx other than 408 and 429) is
 * retried like any failure, unless the policy drops refused data: then it is rejected and
 * counted. An interrupt (the shipper stopping past its deadline) ends the loop with {@link
 * InterruptedException}.
 *
 * <p>Not thread-safe: a sink has one delivering thread. {@link #healthy} may be read from any.
 */
final class Retrier {
  /** What one attempt came to. */
  sealed interface Outcome {
    /** Everything is acknowledged (or rejected and counted by the attempt itself). */
    Outcome DONE = new Done();

    /** Finished. */
    record Done() implements Outcome {}

    /** Failed for {@code reason}; try again (after {@code after}, the server's wish, if not null). */
    record Retry(String reason, Duration after) implements Outcome {}

    /** Refused for good for {@code reason}: what is pending is rejected. */
    record Reject(String reason) implements Outcome {}
  }

  /** One way of sending a batch: its attempts, and how many events are still pending. */
  interface Attempt {
    Outcome run() throws InterruptedException;

    int pending();
  }

  private final RetryPolicy policy;
  private final Ticker ticker;
  private final SinkEvents events;
  /** False from a failed attempt until the next one that reaches the end. */
  private volatile boolean healthy = true;

  Retrier(RetryPolicy policy, Ticker ticker, SinkEvents events) {
    this.policy = policy;
    this.ticker = ticker;
    this.events = events;
  }

  boolean healthy() {
    return healthy;
  }

  /** Runs {@code attempt} until it is done, refused, or out of attempts. */
  void run(Attempt attempt) throws InterruptedException {
    for (int failures = 0; ; ) {
      if (Thread.interrupted()) {
        throw new InterruptedException("stopped while delivering");
      }
      Outcome o = attempt.run();
      if (o instanceof Outcome.Reject j && !policy.dropRefused()) {
        o = new Outcome.Retry("refused: " + j.reason(), null); // kept: no default drops data
      }
      if (!(o instanceof Outcome.Retry r)) {
        healthy = true; // the endpoint answered; a refusal is about the data, not its health
        if (o instanceof Outcome.Reject j) {
          events.rejected(attempt.pending(), j.reason());
        }
        return;
      }
      healthy = false;
      failures++;
      if (policy.maxAttempts() > 0 && failures >= policy.maxAttempts()) {
        events.rejected(attempt.pending(), "retries exhausted");
        return;
      }
      events.retried(r.reason());
      ticker.sleep(wait(r, failures - 1));
    }
  }

  /** POSTs a whole batch's {@code body[0, len)} until acknowledged, then reports it delivered. */
  void post(HttpPoster poster, byte[] body, int len, Batch batch) throws InterruptedException {
    long start = ticker.nanoTime();
    HttpPoster.Encoded encoded = poster.encode(body, len); // once: a retry sends the same bytes
    run(new Attempt() {
      @Override
      public Outcome run() {
        Outcome o;
        try {
          o = HttpPoster.classify(poster.post(encoded));
        } catch (IOException e) {
          o = HttpPoster.classify(e);
        }
        if (o == Outcome.DONE) {
          events.delivered(batch.lines(), batch.bytes(), ticker.nanoTime() - start);
        }
        return o;
      }

      @Override
      public int pending() {
        return batch.lines();
      }
    });
  }

  private Duration wait(Outcome.Retry r, int n) {
    if (r.after() != null) {
      return r.after().compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : r.after();
    }
    return policy.backoff().delay(n);
  }
}
