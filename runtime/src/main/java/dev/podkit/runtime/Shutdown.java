package dev.podkit.runtime;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A long-running helper's answer to SIGTERM and SIGINT, in order:
 *
 * <ol>
 *   <li>readiness off ({@code /readyz} answers 503), so no new work is routed here;
 *   <li>the helper's drain runs (finish open work, flush, save state), for at most the deadline;
 *   <li>exit 0 when the drain finished in time; exit 1 when the deadline passed first (the log
 *       says so, and what was left is the helper's to recover on the next start).
 * </ol>
 *
 * A native sidecar gets SIGTERM only after the app containers exited, within the pod's one
 * grace period: the deadline should stay well inside it.
 */
public final class Shutdown {
  /** The helper's part: return once everything is drained and flushed. */
  public interface Drain {
    void drain(Duration deadline) throws Exception;
  }

  private static final Log LOG = Log.named("shutdown");

  private Shutdown() {}

  /** Installs the sequence for the real process: it ends with {@link System#exit}. */
  public static void install(Health health, Duration deadline, Drain drain) {
    install(health, deadline, drain, System::exit);
  }

  /** As {@link #install(Health, Duration, Drain)}, with the exit injected. */
  public static void install(Health health, Duration deadline, Drain drain, IntConsumer exit) {
    Signals.onTermination(signal -> exit.accept(run(signal, health, deadline, drain)));
  }

  /** Steps (1) to (3) without the exit; returns the exit code. */
  static int run(String signal, Health health, Duration deadline, Drain drain) {
    long t0 = System.nanoTime();
    health.notReady("shutting down"); // (1)
    LOG.info("shutting down", "signal", signal, "deadline", deadline);
    Throwable[] failure = new Throwable[1];
    Thread drainer = new Thread(() -> { // (2)
      try {
        drain.drain(deadline);
      } catch (Exception e) {
        failure[0] = e;
      }
    }, "drain");
    drainer.setDaemon(true);
    drainer.start();
    try {
      drainer.join(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (drainer.isAlive()) { // (3)
      LOG.warn("drain deadline passed; exiting with work left", "deadline", deadline, "elapsed_ms", ms);
      return ExitCode.FAILURE;
    }
    if (failure[0] != null) {
      LOG.error("drain failed", "error", failure[0].toString(), "elapsed_ms", ms);
      return ExitCode.FAILURE;
    }
    LOG.info("stopped", "elapsed_ms", ms);
    return ExitCode.OK;
  }
}
