package dev.podkit.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into one call of a handler. Without it the JVM exits 143 on SIGTERM;
 * with it a helper drains, flushes and chooses its own exit code.
 */
public final class Signals {
  private Signals() {}

  /**
   * Runs {@code handler} once, on a fresh thread, at the first SIGTERM or SIGINT; later signals
   * are ignored (the handler owns the deadline).
   */
  public static void onTermination(java.util.function.Consumer<String> handler) {
    AtomicBoolean fired = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> {
        if (fired.compareAndSet(false, true)) {
          Thread t = new Thread(() -> handler.accept("SIG" + s.getName()), "shutdown");
          t.start();
        }
      });
    }
  }
}
