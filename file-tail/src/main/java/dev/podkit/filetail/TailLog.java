package dev.podkit.filetail;

import dev.podkit.runtime.Log;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link TailEvents} as log lines: what a person running a helper should see (a file opened,
 * rotated, truncated, gone, a checkpoint that no longer matches), read errors at most every 10 s.
 */
public final class TailLog implements TailEvents {
  private final Log log;
  private long lastErrorNanos;

  public TailLog(Log log) {
    this.log = log;
  }

  @Override
  public void opened(Path path, FileKey file, long offset) {
    log.info("following file", "path", path.toString(), "offset", offset);
  }

  @Override
  public void resumeRejected(Path path, Position saved, String reason) {
    log.warn("checkpoint does not match the file; reading it from its start", "path", path.toString(), "reason", reason);
  }

  @Override
  public void rotated(Path path, FileKey from, FileKey to) {
    log.info("file rotated; old one read to its end", "path", path.toString());
  }

  @Override
  public void truncated(Path path, FileKey file, long offset) {
    log.info("file truncated; reading it from its start", "path", path.toString(), "offset_was", offset);
  }

  @Override
  public void fileGone(Path path, FileKey file) {
    log.info("file gone; reading it to its end", "path", path.toString());
  }

  @Override
  public void readError(Path path, IOException error) {
    long now = System.nanoTime();
    if (now - lastErrorNanos > 10_000_000_000L) {
      lastErrorNanos = now;
      log.warn("cannot read file; retrying", "path", path.toString(), "error", error.toString());
    }
  }
}
