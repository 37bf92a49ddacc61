package dev.podkit.logshipper;

import dev.podkit.runtime.Log;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link CheckpointEvents} as log lines: what a person running the shipper should see (how many
 * checkpoints were found, a file that could not be used and where it was kept), failed writes at
 * most every 10 s. Saves themselves are too frequent to log.
 */
public final class CheckpointLog implements CheckpointEvents {
  private static final long ERROR_INTERVAL_NANOS = 10_000_000_000L;
  private final Log log;
  /** Guarded by this. */
  private long lastErrorNanos;
  private boolean errorLogged;

  public CheckpointLog(Log log) {
    this.log = log;
  }

  @Override
  public void loaded(Path file, int files) {
    log.info("checkpoints loaded", "file", file.toString(), "files", files);
  }

  @Override
  public void discarded(Path file, Path keptAs, String reason) {
    log.error("checkpoint file unusable; starting without checkpoints", "file", file.toString(),
        "kept_as", keptAs == null ? null : keptAs.toString(), "reason", reason);
  }

  @Override
  public void writeFailed(Path file, IOException error) {
    synchronized (this) {
      long now = System.nanoTime();
      if (errorLogged && now - lastErrorNanos < ERROR_INTERVAL_NANOS) {
        return;
      }
      errorLogged = true;
      lastErrorNanos = now;
    }
    log.warn("cannot write checkpoints; retrying", "file", file.toString(), "error", error.toString());
  }
}
