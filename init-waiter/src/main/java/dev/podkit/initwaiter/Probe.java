package dev.podkit.initwaiter;

import java.time.Duration;

/**
 * A check of one target that answers one question: is it ready now? "Not yet" is a normal
 * result with a reason, never an exception. Implementations are stateless between calls (each
 * attempt resolves names and connects afresh) and close everything they open.
 */
public interface Probe {
  /**
   * Checks once, within about {@code timeout}.
   *
   * @throws InterruptedException when the waiting thread is interrupted (the waiter stopped)
   */
  ProbeResult check(Duration timeout) throws InterruptedException;
}
