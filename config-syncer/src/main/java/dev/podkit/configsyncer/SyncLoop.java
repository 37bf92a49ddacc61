package dev.podkit.configsyncer;

import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.ExitCode;
import dev.podkit.runtime.Health;
import dev.podkit.runtime.Ticker;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When syncs run, in one of two modes:
 *
 * <ul>
 *   <li>{@link #once}: an init container's job. Sync until one succeeds, retrying failures with
 *       backoff, then exit 0; exit 124 with the last failure's reason once the timeout passes.
 *   <li>{@link #forever}: a sidecar's. Sync every period (shortened by up to the jitter fraction,
 *       so pods that started together spread their polls, and a change is seen within one
 *       period), failures retried with backoff capped at the period. {@code /startupz} and
 *       {@code /readyz} turn ready at the first success and stay so: the last good version stays
 *       published whatever later syncs do.
 * </ul>
 *
 * After a publish the notifications are told, except for the first version written into an
 * empty target unless {@code notifyFirst} (the app reads that one when it starts). {@link #stop}
 * abandons a running sync (its staging folder is dropped, nothing is half-published).
 */
final class SyncLoop {
  /** Timing of the loop. */
  record Schedule(Duration period, double jitter, Backoff retry) {
    /** The pause after a success: the period, minus a random part of up to {@code jitter} of it. */
    Duration afterSuccess(RandomGenerator random) {
      return Duration.ofNanos((long) (period.toNanos() * (1 - jitter * random.nextDouble())));
    }

    /** The pause after the {@code n}-th failure in a row (from 0), never longer than the period. */
    Duration afterFailure(int n) {
      Duration d = retry.delay(n);
      return d.compareTo(period) > 0 ? period : d;
    }
  }

  private final Syncer syncer;
  private final Schedule schedule;
  private final Notifications notifications;
  private final boolean notifyFirst;
  private final Health health;
  private final Ticker ticker;
  private final RandomGenerator random;
  private volatile boolean stopped;
  private volatile Cancellation current;
  private boolean succeeded;

  SyncLoop(Syncer syncer, Schedule schedule, Notifications notifications, boolean notifyFirst, Health health,
      Ticker ticker, RandomGenerator random) {
    this.syncer = syncer;
    this.schedule = schedule;
    this.notifications = notifications;
    this.notifyFirst = notifyFirst;
    this.health = health;
    this.ticker = ticker;
    this.random = random;
  }

  /** Syncs until one succeeds (exit 0), {@code timeout} passes (124, 0 waits forever) or {@link #stop} (143). */
  int once(Duration timeout) throws InterruptedException {
    long deadline = timeout.isZero() ? Long.MAX_VALUE : ticker.nanoTime() + timeout.toNanos();
    int failures = 0;
    while (!stopped) {
      Syncer.Outcome o = runOne();
      if (stopped) break;
      if (o.ok()) {
        long left = deadline == Long.MAX_VALUE ? 10_000 : Math.max(0, (deadline - ticker.nanoTime()) / 1_000_000);
        notifications.awaitIdle(Math.min(left, 10_000));
        return ExitCode.OK;
      }
      long left = deadline - ticker.nanoTime();
      if (left <= 0) return ExitCode.TIMEOUT;
      pause(Duration.ofNanos(Math.min(left, schedule.afterFailure(failures++).toNanos())));
      if (ticker.nanoTime() >= deadline) return ExitCode.TIMEOUT;
    }
    return ExitCode.TERMINATED;
  }

  /**
   * Syncs every period until {@link #stop}; returns 0. The period runs from the start of one
   * sync to the start of the next, so a change is looked for within one period however long
   * asking the source takes (a git fetch can take a good part of a second); at least a tenth of
   * the period is left between syncs. Pauses after failures run from the end of the failed sync.
   */
  int forever() throws InterruptedException {
    int failures = 0;
    while (!stopped) {
      long started = ticker.nanoTime();
      Syncer.Outcome o = runOne();
      if (stopped) break;
      Duration pause;
      if (o.ok()) {
        failures = 0;
        Duration left = schedule.afterSuccess(random).minusNanos(ticker.nanoTime() - started);
        Duration least = schedule.period().dividedBy(10);
        pause = left.compareTo(least) < 0 ? least : left;
      } else {
        pause = schedule.afterFailure(failures++);
      }
      pause(pause);
    }
    return ExitCode.OK;
  }

  private Syncer.Outcome runOne() {
    Cancellation c = new Cancellation();
    current = c;
    if (stopped) c.cancel(); // stop() may have run before current was set
    Syncer.Outcome o = syncer.sync(c);
    current = null;
    if (o.ok() && !stopped) {
      boolean first = !succeeded;
      succeeded = true;
      health.started();
      health.ready();
      if (o.result() == Syncer.Result.PUBLISHED && (o.replaced() || notifyFirst)) {
        notifications.published(o.version());
      } else if (first && notifyFirst && o.result() == Syncer.Result.UNCHANGED) {
        notifications.published(o.version() == null ? "unchanged" : o.version());
      }
    }
    return o;
  }

  private synchronized void pause(Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (!stopped) {
      long left = end - System.nanoTime();
      if (left <= 0) return;
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Ends the loop: a pause ends at once, a running sync is abandoned. */
  void stop() {
    stopped = true;
    Cancellation c = current;
    if (c != null) c.cancel();
    synchronized (this) {
      notifyAll();
    }
  }
}
