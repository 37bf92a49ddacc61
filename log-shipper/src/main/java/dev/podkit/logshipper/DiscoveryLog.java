package dev.podkit.logshipper;

import dev.podkit.runtime.Log;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link DiscoveryEvents} as log lines, at most one every 10 s: a scan runs every few seconds
 * and would repeat the same unreadable folder each time.
 */
public final class DiscoveryLog implements DiscoveryEvents {
  private static final long INTERVAL_NANOS = 10_000_000_000L;
  private final Log log;
  /** Guarded by this. */
  private long lastNanos;
  private boolean logged;

  public DiscoveryLog(Log log) {
    this.log = log;
  }

  @Override
  public void scanFailed(Path path, IOException error) {
    synchronized (this) {
      long now = System.nanoTime();
      if (logged && now - lastNanos < INTERVAL_NANOS) {
        return;
      }
      logged = true;
      lastNanos = now;
    }
    log.warn("cannot look at a path while finding files; skipped", "path", path.toString(), "error", error.toString());
  }
}
