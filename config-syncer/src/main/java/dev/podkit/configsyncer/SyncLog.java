package dev.podkit.configsyncer;

import dev.podkit.runtime.Log;

/**
 * Turns sync events into log lines: every publish and every failure (a failure repeated with the
 * same reason and message is logged once, then again when it changes or clears), unchanged syncs
 * at debug level only, notifications once they succeed or on their first failure.
 */
final class SyncLog implements SyncEvents {
  private final Log log;
  private String lastFailure; // guarded by this

  SyncLog(Log log) {
    this.log = log;
  }

  @Override
  public void unchanged(long nanos) {
    cleared();
    if (log.enabled(Log.Level.DEBUG)) log.debug("unchanged", "took_ms", nanos / 1_000_000);
  }

  @Override
  public void published(String version, String folder, int files, long bytes, long nanos) {
    cleared();
    log.info("published", "version", version, "folder", folder, "files", files, "bytes", bytes,
        "took_ms", nanos / 1_000_000);
  }

  @Override
  public void failed(SyncFailure.Reason reason, String message, long nanos) {
    String key = reason + " " + message;
    synchronized (this) {
      if (key.equals(lastFailure)) {
        if (log.enabled(Log.Level.DEBUG)) log.debug("sync failed again", "reason", reason.tag(), "error", message);
        return;
      }
      lastFailure = key;
    }
    log.warn("sync failed; the last good version stays published", "reason", reason.tag(), "error", message,
        "took_ms", nanos / 1_000_000);
  }

  private void cleared() {
    synchronized (this) {
      lastFailure = null;
    }
  }

  @Override
  public void notified(String kind, String version) {
    log.info("notified", "kind", kind, "version", version);
  }

  @Override
  public void notifyFailed(String kind, String version, String error, int attempt) {
    if (attempt == 1 || log.enabled(Log.Level.DEBUG)) {
      log.warn("notification failed; retrying", "kind", kind, "version", version, "error", error, "attempt", attempt);
    }
  }
}
