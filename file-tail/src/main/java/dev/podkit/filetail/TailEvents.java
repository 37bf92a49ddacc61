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
