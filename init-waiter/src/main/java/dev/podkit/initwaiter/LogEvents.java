package dev.podkit.initwaiter;

import dev.podkit.runtime.Log;

/**
 * Turns waiter events into log lines: a line when a target's state changes (first attempt, new
 * reason, ready), every attempt only at debug level, and when the wait failed one line per
 * target that is not ready with its reason.
 */
final class LogEvents implements WaiterEvents {
  private final Log log;

  LogEvents(Log log) {
    this.log = log;
  }

  @Override
  public void attempted(Target target, ProbeResult result, long nanos) {
    if (log.enabled(Log.Level.DEBUG)) {
      log.debug("attempt", "target", target.name(), "ready", result.ready(), "reason", result.reason(),
          "took_ms", nanos / 1_000_000);
    }
  }

  @Override
  public void changed(Target target, ProbeResult result, int attempts, long sinceStartNanos) {
    if (result.ready()) {
      log.info("target ready", "target", target.name(), "detail", result.reason(), "attempts", attempts,
          "elapsed_ms", sinceStartNanos / 1_000_000);
    } else {
      log.info("target not ready", "target", target.name(), "reason", result.reason(), "attempts", attempts,
          "elapsed_ms", sinceStartNanos / 1_000_000);
    }
  }

  @Override
  public void finished(Outcome outcome) {
    if (outcome.ready() || outcome.stopped()) {
      return;
    }
    for (Outcome.TargetState s : outcome.targets()) {
      if (!s.ready()) {
        log.error("not ready", "target", s.target().name(),
            "reason", s.last() == null ? "no attempt finished" : s.last().reason(), "attempts", s.attempts());
      }
    }
  }
}
