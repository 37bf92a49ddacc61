package dev.podkit.logshipper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@link Discovery} reports. The production implementation turns these into a counter and
 * rate-limited log lines (a scan runs every few seconds); tests record them. Every method has a
 * no-op default.
 */
public interface DiscoveryEvents {
  /** Reports nothing. */
  DiscoveryEvents NONE = new DiscoveryEvents() {};

  /**
   * {@code path} could not be listed or looked at (permission denied, a symlink loop); the scan
   * went on without it. Paths that vanish during a scan are not reported: that is normal.
   */
  default void scanFailed(Path path, IOException error) {}
}
