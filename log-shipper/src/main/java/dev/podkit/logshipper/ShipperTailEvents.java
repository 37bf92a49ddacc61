package dev.podkit.logshipper;

import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.Position;
import dev.podkit.filetail.TailEvents;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The shipper's {@link TailEvents}: each passed to the log's (files opened, rotated, truncated,
 * gone, read errors), and lines longer than the maximum, the bytes of truncated lines skipped
 * and partial lines flushed counted in the metrics.
 */
final class ShipperTailEvents implements TailEvents {
  private final TailEvents log;
  private final ShipperMetrics metrics;

  ShipperTailEvents(TailEvents log, ShipperMetrics metrics) {
    this.log = log;
    this.metrics = metrics;
  }

  @Override
  public void opened(Path path, FileKey file, long offset) {
    log.opened(path, file, offset);
  }

  @Override
  public void resumeRejected(Path path, Position saved, String reason) {
    log.resumeRejected(path, saved, reason);
  }

  @Override
  public void rotated(Path path, FileKey from, FileKey to) {
    log.rotated(path, from, to);
  }

  @Override
  public void truncated(Path path, FileKey file, long offset) {
    log.truncated(path, file, offset);
  }

  @Override
  public void fileGone(Path path, FileKey file) {
    log.fileGone(path, file);
  }

  @Override
  public void closed(Path path, FileKey file, long offset) {
    log.closed(path, file, offset);
  }

  @Override
  public void lineCut(Path path, int flags) {
    metrics.longLine((flags & LineFlags.TRUNCATED) != 0);
    log.lineCut(path, flags);
  }

  @Override
  public void bytesSkipped(Path path, long bytes) {
    metrics.skipped(bytes);
    log.bytesSkipped(path, bytes);
  }

  @Override
  public void partialLineFlushed(Path path, int bytes) {
    metrics.partialLineFlushed();
    log.partialLineFlushed(path, bytes);
  }

  @Override
  public void readError(Path path, IOException error) {
    log.readError(path, error);
  }
}
