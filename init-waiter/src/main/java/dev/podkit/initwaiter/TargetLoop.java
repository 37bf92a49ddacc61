package dev.podkit.initwaiter;

import dev.podkit.runtime.Ticker;
import java.time.Duration;

/**
 * Checks one target until it is ready (or, inverted, until it is not) or the thread is
 * interrupted, pausing by the policy's backoff between attempts. Its state is read by the
 * waiter's thread, hence volatile.
 */
final class TargetLoop implements Runnable {
  private final Target target;
  private final WaitPolicy policy;
  private final WaiterEvents events;
  private final Ticker ticker;
  private final long startNanos;
  private final Runnable onReady;
  private volatile ProbeResult last;
  private volatile int attempts;

  TargetLoop(Target target, WaitPolicy policy, WaiterEvents events, Ticker ticker, long startNanos,
      Runnable onReady) {
    this.target = target;
    this.policy = policy;
    this.events = events;
    this.ticker = ticker;
    this.startNanos = startNanos;
    this.onReady = onReady;
  }

  @Override
  public void run() {
    try {
      for (int failures = 0; ; failures++) {
        long t0 = ticker.nanoTime();
        ProbeResult r = attempt();
        long t1 = ticker.nanoTime();
        ProbeResult previous = last;
        attempts++;
        last = r;
        events.attempted(target, r, t1 - t0);
        if (previous == null || previous.ready() != r.ready() || !previous.reason().equals(r.reason())) {
          events.changed(target, r, attempts, t1 - startNanos);
        }
        if (r.ready()) {
          onReady.run();
          return;
        }
        // Sleep the backoff less what the attempt took, so the interval is start to start.
        Duration pause = policy.backoff().delay(failures).minusNanos(t1 - t0);
        ticker.sleep(pause);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ProbeResult attempt() throws InterruptedException {
    ProbeResult r;
    try {
      r = target.probe().check(policy.attemptTimeout());
    } catch (RuntimeException e) {
      // A probe bug must not end the wait silently: it becomes this attempt's reason.
      r = ProbeResult.notReady("probe failed: " + e);
    }
    if (!policy.invert()) {
      return r;
    }
    return r.ready() ? ProbeResult.notReady("still reachable: " + r.reason())
        : ProbeResult.ready("not reachable: " + r.reason());
  }

  Outcome.TargetState state() {
    return new Outcome.TargetState(target, last, attempts);
  }
}
