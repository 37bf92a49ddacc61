package dev.podkit.logshipper;

import dev.podkit.runtime.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The pace of the tailing thread's rounds: a scan every scan interval, and a poll interval's wait
 * when a round read nothing or the queue is full. With a {@link DirectoryWatch}, a wait ends as
 * soon as a name comes or goes in a folder the last scan looked in, and a scan follows at once,
 * though not sooner than a poll interval after the one before. Used by the tailing thread only.
 */
final class Pacing {
  private final Ticker ticker;
  private final long scanIntervalNanos;
  private final long pollIntervalNanos;
  private DirectoryWatch watch; // null: the loop sleeps between rounds
  private Supplier<Set<Path>> folders;
  private long nextScan;
  private long lastScanNanos;

  Pacing(Ticker ticker, Duration scanInterval, Duration pollInterval) {
    this.ticker = ticker;
    this.scanIntervalNanos = scanInterval.toNanos();
    this.pollIntervalNanos = pollInterval.toNanos();
  }

  /** Wakes a wait when a name comes or goes in one of the folders {@code folders} gives after each scan. */
  void watch(DirectoryWatch watch, Supplier<Set<Path>> folders) {
    this.watch = watch;
    this.folders = folders;
  }

  /** A scan was made at {@code now}: the next is due a scan interval later. */
  void scanned(long now) {
    lastScanNanos = now;
    nextScan = now + scanIntervalNanos;
  }

  /** Whether a scan is due at {@code now}. */
  boolean scanDue(long now) {
    return now - nextScan >= 0;
  }

  /** Watches the folders the last scan looked in (nothing without a watch). */
  void watchFolders() {
    if (watch != null) {
      watch.watch(folders.get());
    }
  }

  /** Waits a poll interval: the queue is full. */
  void pause() throws InterruptedException {
    ticker.sleep(Duration.ofNanos(pollIntervalNanos));
  }

  /** Waits after a round that read nothing: a poll interval, or less if a watched folder's names change. */
  void idle() throws InterruptedException {
    if (watch == null) {
      ticker.sleep(Duration.ofNanos(pollIntervalNanos));
    } else if (watch.await(pollIntervalNanos)) {
      // A name came or went: scan now, though not sooner than a poll interval after the
      // last scan, so that a folder busy with names costs a scan a poll interval at most.
      long earliest = lastScanNanos + pollIntervalNanos;
      nextScan = Math.min(nextScan, earliest);
      long wait = earliest - ticker.nanoTime();
      if (wait > 0) {
        ticker.sleep(Duration.ofNanos(wait));
      }
    }
  }

  /** Closes the watch, if there is one: the loop ends. */
  void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
