package dev.podkit.initwaiter;

/**
 * What the waiter reports as it goes. The production implementations turn these into log lines
 * and meters; tests record them. Called from the targets' threads: implementations are
 * thread-safe. Every method has a no-op default.
 */
interface WaiterEvents {
  /** One attempt on {@code target} ended with {@code result} after {@code nanos}. */
  default void attempted(Target target, ProbeResult result, long nanos) {}

  /**
   * {@code target}'s state differs from the previous attempt's: the first attempt, a new
   * reason for not being ready, or ready at last.
   */
  default void changed(Target target, ProbeResult result, int attempts, long sinceStartNanos) {}

  /** The wait ended. */
  default void finished(Outcome outcome) {}

  /** Sends each event to every one of {@code all}. */
  static WaiterEvents of(WaiterEvents... all) {
    return new WaiterEvents() {
      @Override
      public void attempted(Target t, ProbeResult r, long nanos) {
        for (WaiterEvents e : all) e.attempted(t, r, nanos);
      }

      @Override
      public void changed(Target t, ProbeResult r, int attempts, long since) {
        for (WaiterEvents e : all) e.changed(t, r, attempts, since);
      }

      @Override
      public void finished(Outcome o) {
        for (WaiterEvents e : all) e.finished(o);
      }
    };
  }
}
