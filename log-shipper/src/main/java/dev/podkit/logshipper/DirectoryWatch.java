package dev.podkit.logshipper;

import dev.podkit.runtime.Log;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tells the tailing thread at once when a name appears in or leaves a folder the scan looked in
 * (inotify on Linux, through the JDK's watch service), so a new file is followed without
 * waiting for the next periodic scan. The scan stays the ground truth and still runs every
 * {@code --scan-interval}: a file system that sends no events (NFS, some FUSE mounts), a folder
 * that could not be watched (the system's watch limit) or lost events only delay discovery to
 * it. Only names coming and going are watched, not writes: files are read by polling, and a
 * wake-up per write would make every busy file cost a round of all the others. Used by the
 * tailing thread only.
 */
final class DirectoryWatch implements AutoCloseable {
  private static final Log LOG = Log.named("log-shipper");

  private final WatchService service; // null: watching is off, awaiting is sleeping
  private final Map<Path, WatchKey> keys = new HashMap<>();
  private boolean limitReported;

  private DirectoryWatch(WatchService service) {
    this.service = service;
  }

  /** A watch on the default file system, or one that only sleeps if the system offers none. */
  static DirectoryWatch open() {
    try {
      return new DirectoryWatch(FileSystems.getDefault().newWatchService());
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("cannot watch folders; new files are found by the periodic scan only", "error", e.toString());
      return new DirectoryWatch(null);
    }
  }

  /** Watches exactly {@code folders} from now on: new ones added, those no longer listed dropped. */
  void watch(Set<Path> folders) {
    if (service == null) {
      return;
    }
    for (Iterator<Map.Entry<Path, WatchKey>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, WatchKey> e = it.next();
      if (!folders.contains(e.getKey()) || !e.getValue().isValid()) {
        e.getValue().cancel();
        it.remove();
      }
    }
    for (Path folder : folders) {
      if (keys.containsKey(folder)) {
        continue;
      }
      try {
        keys.put(folder, folder.register(service, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE));
      } catch (IOException e) {
        // Gone since the scan listed it, or the system's limit of watches reached (ENOSPC):
        // the scan finds its files all the same, later.
        if (!limitReported && String.valueOf(e.getMessage()).contains("limit")) {
          limitReported = true;
          LOG.warn("folder watch limit reached; the rest are found by the periodic scan", "folder", folder.toString(),
              "watched", keys.size(), "error", e.getMessage());
        }
      } catch (ClosedWatchServiceException | UnsupportedOperationException e) {
        return;
      }
    }
  }

  /**
   * Waits up to {@code nanos}, less if a watched folder gains or loses a name; then takes every
   * event queued. Returns whether there was one (a scan should look now).
   */
  boolean await(long nanos) throws InterruptedException {
    if (service == null) {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return false;
    }
    try {
      WatchKey key = service.poll(nanos, TimeUnit.NANOSECONDS);
      if (key == null) {
        return false;
      }
      for (; key != null; key = service.poll()) {
        key.pollEvents(); // what changed is for the scan to find out: any event (an overflow too) asks for one
        key.reset(); // a folder gone stays invalid: dropped at the next watch()
      }
      return true;
    } catch (ClosedWatchServiceException e) {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return false;
    }
  }

  @Override
  public void close() {
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        // Nothing held but the inotify descriptor: closing is best effort.
      }
    }
  }
}
