package dev.podkit.initwaiter;

import java.time.Duration;
import java.util.List;

/**
 * How a wait ended.
 *
 * @param ready whether the targets were ready (all, or any, as asked)
 * @param stopped whether the wait was stopped (by a signal) before that
 * @param targets each target's last known state, in the order given
 * @param elapsed time from the start of the wait
 */
record Outcome(boolean ready, boolean stopped, List<TargetState> targets, Duration elapsed) {

  /** One target's state at the end: its last result and how many attempts it took. */
  record TargetState(Target target, ProbeResult last, int attempts) {
    boolean ready() {
      return last != null && last.ready();
    }
  }
}
