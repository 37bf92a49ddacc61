package dev.podkit.initwaiter;

import dev.podkit.runtime.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for a set of targets: one {@link TargetLoop} per target on its own thread, all started
 * at once, until all (or any) are ready or the overall timeout passes.
 *
 * <p>Platform daemon threads, not virtual ones: a JVM whose sockets ran on virtual threads takes
 * about 300 ms longer to exit, and an init container should exit the moment it is done.
 */
final class Waiter {
  private final List<Target> targets;
  private final WaitPolicy policy;
  private final WaiterEvents events;
  private final Ticker ticker;
  private final Object lock = new Object();
  private int ready; // guarded by lock
  private boolean stopped; // guarded by lock
  private final List<TargetLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private long startNanos;

  Waiter(List<Target> targets, WaitPolicy policy, WaiterEvents events, Ticker ticker) {
    if (targets.isEmpty()) throw new IllegalArgumentException("no targets");
    this.targets = List.copyOf(targets);
    this.policy = policy;
    this.events = events;
    this.ticker = ticker;
  }

  /** Starts checking every target; returns at once. */
  void start() {
    startNanos = ticker.nanoTime();
    for (Target t : targets) {
      TargetLoop loop = new TargetLoop(t, policy, events, ticker, startNanos, this::oneReady);
      Thread thread = new Thread(loop, "probe-" + loops.size());
      thread.setDaemon(true);
      loops.add(loop);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  /** Makes {@link #await} return at once, not ready and stopped (on SIGTERM, say). */
  void stop() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
  }

  /**
   * Blocks until the targets are ready, the timeout passes or {@link #stop} is called, then stops
   * the remaining checks.
   *
   * @throws InterruptedException if the calling thread is interrupted; the checks are stopped
   */
  Outcome await() throws InterruptedException {
    int needed = policy.any() ? 1 : targets.size();
    long deadline = policy.timeout().isZero() ? Long.MAX_VALUE : startNanos + policy.timeout().toNanos();
    boolean done;
    boolean stoppedEarly;
    try {
      synchronized (lock) {
        while (ready < needed && !stopped) {
          long left = deadline - ticker.nanoTime();
          if (left <= 0) {
            break;
          }
          lock.wait(Math.max(1, Math.min(left / 1_000_000, 60_000)));
        }
        done = ready >= needed;
        stoppedEarly = stopped && !done;
      }
    } finally {
      threads.forEach(Thread::interrupt);
    }
    Outcome outcome = new Outcome(done, stoppedEarly, loops.stream().map(TargetLoop::state).toList(),
        Duration.ofNanos(ticker.nanoTime() - startNanos));
    events.finished(outcome);
    return outcome;
  }

  private void oneReady() {
    synchronized (lock) {
      ready++;
      lock.notifyAll();
    }
  }
}
