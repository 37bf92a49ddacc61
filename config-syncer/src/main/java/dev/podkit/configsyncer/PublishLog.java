package dev.podkit.configsyncer;

import dev.podkit.runtime.Log;

/**
 * Turns the publisher's steps into log lines: recovery after a crash at info level (it is
 * worth knowing), the routine steps of each publish at debug level (the syncer logs one line per
 * publish).
 */
final class PublishLog implements PublishEvents {
  private final Log log;

  PublishLog(Log log) {
    this.log = log;
  }

  @Override
  public void swapped(String previous, String version) {
    if (log.enabled(Log.Level.DEBUG)) log.debug("swapped", "previous", previous, "version", version);
  }

  @Override
  public void versionRemoved(String version) {
    if (log.enabled(Log.Level.DEBUG)) log.debug("old version removed", "folder", version);
  }

  @Override
  public void leftoverRemoved(String name) {
    log.info("removed what an interrupted publish left", "name", name);
  }
}
