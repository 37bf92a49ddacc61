package dev.podkit.logshipper;

import dev.podkit.filetail.FileClaims;
import dev.podkit.filetail.FileFollower;
import dev.podkit.filetail.Position;
import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailOptions;
import dev.podkit.runtime.Ticker;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The tailing thread: finds files, follows each by name with a {@link FileFollower} (all from
 * this one thread, whatever their number), copies the lines into events (or writes them in the
 * sink's form, see {@link #encode}) and cuts them into batches, each with the positions that
 * become checkpoints once the sink acknowledges it.
 *
 * <p>One round: (1) rescan the patterns when due; (2) if the queue is full, wait (the files are
 * the buffer); (3) poll every follower; (4) pass on the lines held past their timeout (multiline
 * events, container-log parts), whatever the other files do; (5) cut a batch when the policy says
 * so; (6) sleep the poll interval when nothing was read.
 *
 * <p>A file is read once whatever its names: the followers share {@link FileClaims}, so a file
 * renamed to a name the patterns also match (access.log to access.log.1 under {@code *.log*}) is
 * read on from where its old name's follower left it, and its checkpoint moves to its new name.
 */
final class Tailer {
  /** The files to follow now, given which paths are known to name a regular file (see Discovery.scan). */
  private final Function<Predicate<Path>, List<Path>> scan;
  /** Told the paths each scan found, so their checkpoints are kept (null without checkpoints). */
  private java.util.function.Consumer<List<String>> seen = paths -> {};
  private final BatchQueue queue;
  private final Ticker ticker;
  private final ShipperMetrics metrics;
  private final Followers followers;
  /** The lines on their way into batches: decoded or encoded, held, cut. */
  private final Batching batching;
  /** Where the files found start, and where their checkpoints go when they are renamed. */
  private final FileStarts starts;
  /** When to scan, and how to wait between rounds. */
  private final Pacing pacing;
  // Read by the admin thread (startupz, readyz, metrics); written by the tailing thread.
  private volatile boolean scannedOnce;
  private volatile long lagBytes;
  private volatile boolean stopping;
  private volatile boolean aborted;
  private boolean stopAtEof;

  Tailer(Function<Predicate<Path>, List<Path>> scan, Function<String, Optional<Position>> saved, Start firstStart,
      TailOptions options, BatchPolicy policy, BatchQueue queue, java.time.Duration scanInterval,
      java.time.Duration pollInterval, Ticker ticker, TailEvents events, ShipperMetrics metrics) {
    this.scan = scan;
    this.queue = queue;
    this.pacing = new Pacing(ticker, scanInterval, pollInterval);
    // An idle file is looked at least once a scan interval.
    long roundsPerScan = scanInterval.toNanos() / pollInterval.toNanos();
    IdleBackoff backoff = new IdleBackoff((int) Math.max(0, Math.min(1000, roundsPerScan - 1)));
    this.followers = new Followers(backoff, metrics, this::letGo);
    this.ticker = ticker;
    this.metrics = metrics;
    this.batching = new Batching(policy, queue, ticker, options.partialLineFlush(), metrics, this::position);
    this.starts = new FileStarts(saved, firstStart, options, ticker, events, followers, batching);
  }

  /**
   * Decodes lines with a parser from {@code parsers} (one per file; null ships raw lines) and
   * joins multiline events by {@code multiline} (null for none). Set before {@link #run}.
   */
  void decode(Supplier<dev.podkit.logformat.LineParser> parsers,
      dev.podkit.filetail.MultilineOptions multiline) {
    batching.decode(parsers, multiline);
  }

  /**
   * Writes lines with {@code encoder} (from the sink) straight into batch bodies instead of
   * making events of them: for raw lines only, without {@link #decode}. Null keeps events. Set
   * before {@link #run}.
   */
  void encode(LineEncoder encoder) {
    batching.encode(encoder);
  }

  /** Reports the paths of each scan to {@code seen} (the checkpoints keep what is seen). */
  void onScan(java.util.function.Consumer<List<String>> seen) {
    this.seen = seen;
  }

  /**
   * Wakes the loop when a name comes or goes in one of the folders {@code folders} gives after
   * each scan, and scans then (at most once a poll interval) instead of at the next scan
   * interval. The loop closes {@code watch} when it ends. Set before {@link #run}.
   */
  void watch(DirectoryWatch watch, Supplier<Set<Path>> folders) {
    pacing.watch(watch, folders);
  }

  /**
   * Files read before (the checkpoints' positions, whatever their paths): a path that names one
   * of them now is read on from there, not from its start. Call before {@link #run}.
   */
  void remember(java.util.Collection<Position> positions) {
    starts.remember(positions);
  }

  /** Asks the loop to read every file to its end, hand over the last batch and return. */
  void stop() {
    stopping = true;
  }

  /** Makes the loop stop by itself the first time a round finds nothing new in any file. */
  void stopAtEndOfFiles() {
    stopAtEof = true;
  }

  /** Stops at once, without reading on (the sink is gone: nothing read now could be delivered). */
  void abort() {
    aborted = true;
    stopping = true;
  }

  boolean scannedOnce() {
    return scannedOnce;
  }

  /** Runs rounds until stopped; then drains and closes the queue. */
  void run() throws InterruptedException {
    try {
      rescan(); // at once, even when stopped before the first round
      pacing.scanned(ticker.nanoTime());
      while (!stopping) {
        long now = ticker.nanoTime();
        if (pacing.scanDue(now)) {
          rescan(); // (1)
          pacing.scanned(now);
        }
        if (!queue.hasRoom()) { // (2)
          metrics.paused();
          pacing.pause();
          continue;
        }
        int read = pollAll(stopAtEof); // (3) idle files not every round, unless a round must see all
        batching.flushTimedOut(); // (4)
        batching.cutIfDue(read == 0); // (5)
        if (read == 0) {
          queue.trimSpares(2); // a burst's buffers are not kept through a quiet time
          if (stopAtEof) {
            break;
          }
          pacing.idle(); // (6)
        }
      }
      // Stopping: read every file to its current end, then hand everything over; within the
      // memory limit still, so a slow sink makes this wait (up to the shutdown deadline).
      while (!aborted && pollAll(true) > 0) {
        while (!aborted && !queue.hasRoom()) {
          pacing.pause();
        }
      }
      if (!aborted) {
        batching.finish();
      }
    } finally {
      pacing.close();
      followers.closeAll();
      queue.close();
    }
  }

  /**
   * Total bytes behind the end of the files followed, as of the last scan (for lag metrics and
   * /readyz). Measured on the tailing thread, which owns the followers; other threads read it.
   */
  long lagBytes() {
    return lagBytes;
  }

  private void rescan() {
    // A followed path whose file is open was a regular file when it was opened, and a rotation
    // puts a regular file in its place: the scan takes it without a stat (one fewer path lookup
    // per file per scan, which is most of what thousands of idle files cost).
    List<Path> found = scan.apply(p -> {
      FileFollower f = followers.get(p.toString());
      return f != null && f.holdsFile();
    });
    Set<String> now = new LinkedHashSet<>();
    for (Path p : found) {
      String key = p.toString();
      now.add(key);
      if (!followers.contains(key)) {
        starts.follow(p, key, scannedOnce);
      }
    }
    followers.retain(now); // a follower whose path is no longer matched and that holds no file is done
    starts.forgetUnseen();
    metrics.files(followers.paths().size());
    lagBytes = followers.lag();
    pacing.watchFolders();
    seen.accept(List.copyOf(now));
    scannedOnce = true;
  }

  /** Polls the files due this round ({@code everyFile}: all of them); returns the bytes read. */
  private int pollAll(boolean everyFile) {
    batching.round();
    int total = followers.poll(everyFile);
    if (total > 0) {
      metrics.read(total);
    }
    return total;
  }

  /**
   * A follower is let go: its partial last line, the event its joiner holds and the parts its
   * parser holds are passed on now (nothing will complete them), and its joiner and parser go.
   */
  private void letGo(String path, FileFollower f) {
    metrics.fileLetGo(path);
    f.flush();
    batching.letGo(path);
  }

  /** Where the lines delivered from {@code path} end now; empty if it is not followed or not open. */
  private Optional<Position> position(String path) {
    FileFollower f = followers.get(path);
    if (f == null) {
      return Optional.empty();
    }
    // While lines are held: the position before the first of them (empty, so no checkpoint moves,
    // if the file it began in is no longer the open one).
    FileFollower.Mark held = batching.heldFrom(path);
    return held != null ? f.positionAt(held) : f.position();
  }
}
