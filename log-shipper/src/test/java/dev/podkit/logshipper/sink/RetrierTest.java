package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.FakeTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrierTest {
  private final RecordingSinkEvents events = new RecordingSinkEvents();
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void retrier_failuresThenDone_waitsPerBackoffAndReportsEachFailure() throws Exception {
    Retrier retrier = new Retrier(RetryPolicy.forever(), ticker, events);
    List<Boolean> healthDuringAttempts = new ArrayList<>();
    Scripted attempt = new Scripted(3, retry("status 503"), retry("timeout"), retry("status 502"), Retrier.Outcome.DONE) {
      @Override
      public Retrier.Outcome run() {
        healthDuringAttempts.add(retrier.healthy());
        return super.run();
      }
    };

    retrier.run(attempt);

    assertEquals(List.of(ms(250), ms(500), ms(1000)), ticker.sleeps());
    assertEquals(List.of("retried status 503", "retried timeout", "retried status 502"), events.events());
    assertEquals(List.of(true, false, false, false), healthDuringAttempts);
    assertTrue(retrier.healthy());
  }

  @Test
  void retrier_manyFailures_waitIsCappedAt30s() throws Exception {
    Retrier.Outcome[] script = new Retrier.Outcome[12];
    java.util.Arrays.fill(script, retry("status 503"));
    Retrier.Outcome[] all = java.util.Arrays.copyOf(script, 13);
    all[12] = Retrier.Outcome.DONE;

    new Retrier(RetryPolicy.forever(), ticker, events).run(new Scripted(1, all));

    assertEquals(12, ticker.sleeps().size());
    assertEquals(Duration.ofSeconds(30), ticker.sleeps().get(11));
    assertEquals(ms(16_000), ticker.sleeps().get(6));
  }

  @Test
  void retrier_retryAfter_waitsAsAskedUpToTheCap() throws Exception {
    Scripted attempt = new Scripted(1, new Retrier.Outcome.Retry("status 429", Duration.ofSeconds(7)),
        new Retrier.Outcome.Retry("status 429", Duration.ofSeconds(3600)), Retrier.Outcome.DONE);

    new Retrier(RetryPolicy.forever(), ticker, events).run(attempt);

    assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(30)), ticker.sleeps());
  }

  @Test
  void retrier_maxAttemptsReached_rejectsPendingAsRetriesExhausted() throws Exception {
    Retrier retrier = new Retrier(RetryPolicy.attempts(3), ticker, events);

    retrier.run(new Scripted(5, retry("connect failed"), retry("connect failed"), retry("connect failed"), retry("never")));

    assertEquals(List.of("retried connect failed", "retried connect failed", "rejected 5 retries exhausted"), events.events());
    assertEquals(List.of(ms(250), ms(500)), ticker.sleeps());
    assertFalse(retrier.healthy());
  }

  @Test
  void retrier_reject_byDefault_retriedLikeAnyFailure_unhealthyMeanwhile() throws Exception {
    Retrier retrier = new Retrier(RetryPolicy.forever(), ticker, events);

    retrier.run(new Scripted(4, new Retrier.Outcome.Reject("status 401"), new Retrier.Outcome.Reject("status 401"),
        Retrier.Outcome.DONE));

    assertEquals(List.of("retried refused: status 401", "retried refused: status 401"), events.events());
    assertEquals(List.of(ms(250), ms(500)), ticker.sleeps());
    assertTrue(retrier.healthy());
  }

  @Test
  void retrier_reject_withDropRefused_countsPendingAndDoesNotRetry() throws Exception {
    Retrier retrier = new Retrier(RetryPolicy.forever().withDropRefused(true), ticker, events);

    retrier.run(new Scripted(4, retry("status 503"), new Retrier.Outcome.Reject("status 400")));

    assertEquals(List.of("retried status 503", "rejected 4 status 400"), events.events());
    assertTrue(retrier.healthy());
  }

  @Test
  void retrier_interruptedBetweenAttempts_throwsInterruptedException() {
    HookedTicker stopping = new HookedTicker(n -> {
      if (n == 2) {
        Thread.currentThread().interrupt();
      }
    });
    Retrier.Outcome[] forever = new Retrier.Outcome[100];
    java.util.Arrays.fill(forever, retry("status 503"));
    Scripted attempt = new Scripted(1, forever);

    assertThrows(InterruptedException.class, () -> new Retrier(RetryPolicy.forever(), stopping, events).run(attempt));

    assertEquals(2, attempt.runs);
    assertFalse(Thread.interrupted(), "the interrupt is consumed by the exception");
  }

  private static Retrier.Outcome retry(String reason) {
    return new Retrier.Outcome.Retry(reason, null);
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  /** An attempt that returns the given outcomes in order, with a fixed number of pending events. */
  private static class Scripted implements Retrier.Attempt {
    private final Deque<Retrier.Outcome> script;
    private final int pending;
    int runs;

    Scripted(int pending, Retrier.Outcome... outcomes) {
      this.pending = pending;
      this.script = new ArrayDeque<>(List.of(outcomes));
    }

    @Override
    public Retrier.Outcome run() {
      runs++;
      return script.removeFirst();
    }

    @Override
    public int pending() {
      return pending;
    }
  }
}
