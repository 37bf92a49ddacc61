package dev.podkit.logshipper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@link Checkpoints} reports. The production implementation turns these into meters and
 * log lines; tests record them. Every method has a no-op default.
 */
public interface CheckpointEvents {
  /** Reports nothing. */
  CheckpointEvents NONE = new CheckpointEvents() {};

  /** {@code files} checkpoints were read from {@code file}. */
  default void loaded(Path file, int files) {}

  /**
   * {@code file} could not be used for {@code reason} (unreadable, not valid JSON, an unknown
   * version); it was moved to {@code keptAs} (null if that failed too, said in the reason), and
   * the shipper starts with no checkpoints.
   */
  default void discarded(Path file, Path keptAs, String reason) {}

  /** {@code files} checkpoints were written to {@code file}. */
  default void saved(Path file, int files) {}

  /**
   * Writing in {@code file}'s folder failed: a save (tried again on the next one), or deleting
   * the temp files of a save a crash interrupted.
   */
  default void writeFailed(Path file, IOException error) {}
}
