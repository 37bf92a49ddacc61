package dev.podkit.filetail;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a {@link FileFollower} reports as it goes. The production implementation turns these into
 * meters and log lines; tests record them. Called on the polling thread. Every method has a
 * no-op default.
 */
public interface TailEvents {
  /** Reports nothing. */
  TailEvents NONE = new TailEvents() {};

  /** Each event to {@code first}, then to {@code second} (a log and meters, say). */
  static TailEvents both(TailEvents first, TailEvents second) {
    return new TailEvents() {
      @Override public void opened(Path path, FileKey file, long offset) {
        first.opened(path, file, offset);
        second.opened(path, file, offset);
      }

      @Override public void resumeRejected(Path path, Position saved, String reason) {
        first.resumeRejected(path, saved, reason);
        second.resumeRejected(path, saved, reason);
      }

      @Override public void rotated(Path path, FileKey from, FileKey to) {
        first.rotated(path, from, to);
        second.rotated(path, from, to);
      }

      @Override public void truncated(Path path, FileKey file, long offset) {
        first.truncated(path, file, offset);
        second.truncated(path, file, offset);
      }

      @Override public void fileGone(Path path, FileKey file) {
        first.fileGone(path, file);
        second.fileGone(path, file);
      }

      @Override public void closed(Path path, FileKey file, long offset) {
        first.closed(path, file, offset);
        second.closed(path, file, offset);
      }

      @Override public void lineCut(Path path, int flags) {
        first.lineCut(path, flags);
        second.lineCut(path, flags);
      }

      @Override public void bytesSkipped(Path path, long bytes) {
        first.bytesSkipped(path, bytes);
        second.bytesSkipped(path, bytes);
      }

      @Override public void partialLineFlushed(Path path, int bytes) {
        first.partialLineFlushed(path, bytes);
        second.partialLineFlushed(path, bytes);
      }

      @Override public void readError(Path path, IOException error) {
        first.readError(path, error);
        second.readError(path, error);
      }
    };
  }

  /** {@code path} names {@code file}, now open and read from {@code offset}. */
  default void opened(Path path, FileKey file, long offset) {}

  /** The saved position did not match the file at {@code path}; it is read from its start. */
  default void resumeRejected(Path path, Position saved, String reason) {}

  /** {@code path} names another file: {@code from} was read to its end and closed. */
  default void rotated(Path path, FileKey from, FileKey to) {}

  /**
   * {@code file} shrank below {@code offset}, or the bytes before it changed (truncated and
   * regrown); it is read again from its start.
   */
  default void truncated(Path path, FileKey file, long offset) {}

  /** {@code path} names no file any more; {@code file} is still open and read to its end. */
  default void fileGone(Path path, FileKey file) {}

  /** {@code file}, gone from {@code path}, was closed after the gone timeout, at {@code offset}. */
  default void closed(Path path, FileKey file, long offset) {}

  /** A line longer than the maximum; {@code flags} say whether it is split or truncated. Once per line. */
  default void lineCut(Path path, int flags) {}

  /** {@code bytes} of a truncated line were skipped. */
  default void bytesSkipped(Path path, long bytes) {}

  /** A partial last line of {@code bytes} waited past the flush timeout and was delivered. */
  default void partialLineFlushed(Path path, int bytes) {}

  /** A poll failed; the follower retries after a backoff. */
  default void readError(Path path, IOException error) {}
}
