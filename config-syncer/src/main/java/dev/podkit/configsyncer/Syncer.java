package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One sync, from source to published version:
 *
 * <ol>
 *   <li>a staging folder is made in the target (same file system: the move in is a rename);
 *   <li>the source writes the version into it, names and limits checked as bytes arrive;
 *   <li>links are resolved inside the version, config files are syntax-checked;
 *   <li>if the content equals the published version's, the staging folder is dropped;
 *   <li>else the {@link Publisher} swaps it in and the notifications are told.
 * </ol>
 *
 * Any failure drops the staging folder and leaves the published version as it was. Each sync
 * ends in one {@link Outcome} and one event. Runs on one thread at a time.
 */
final class Syncer {
  /** How one sync ended. */
  enum Result { PUBLISHED, UNCHANGED, FAILED }

  /**
   * @param version the source's label of the published version (null unless published)
   * @param replaced whether a published version replaced an older one (false for the first
   *     version in an empty target)
   * @param reason why it failed (null unless failed)
   */
  record Outcome(Result result, String version, boolean replaced, Reason reason, String message) {
    boolean ok() {
      return result != Result.FAILED;
    }
  }

  private final Source source;
  private final Publisher publisher;
  private final Limits limits;
  private final SyntaxCheck syntax;
  private final SyncEvents events;
  private final Ticker ticker;
  /** Digest of the published version's content, null when nothing is published. */
  private String publishedDigest;
  /** The failure of the last version the source handed over, repeated while the source is unchanged. */
  private Outcome rejected;

  Syncer(Source source, Publisher publisher, Path target, Limits limits, SyntaxCheck syntax, SyncEvents events,
      Ticker ticker) throws IOException {
    this.source = source;
    this.publisher = publisher;
    this.limits = limits;
    this.syntax = syntax;
    this.events = events;
    this.ticker = ticker;
    if (publisher.current().isPresent()) {
      publishedDigest = TreeDigest.of(target.resolve(publisher.current().get()));
    }
  }

  /** Runs steps (1) to (5) once. */
  Outcome sync(Cancellation cancellation) {
    long t0 = ticker.nanoTime();
    Path dir = null;
    try {
      dir = publisher.newStaging(); // (1)
      Staging staging = new Staging(dir, limits, cancellation);
      Source.Fetch fetch = source.fetch(staging); // (2)
      if (fetch instanceof Source.Unchanged) {
        if (rejected != null) {
          events.failed(rejected.reason(), rejected.message() + " (source unchanged)", ticker.nanoTime() - t0);
          return rejected;
        }
        events.unchanged(ticker.nanoTime() - t0);
        return new Outcome(Result.UNCHANGED, null, false, null, null);
      }
      String label = ((Source.Fetched) fetch).version();
      try {
        staging.finish(); // (3)
        syntax.check(dir);
      } catch (SyncFailure e) {
        // The content itself is bad: remember it, so an unchanged source does not refetch it.
        rejected = new Outcome(Result.FAILED, null, false, e.reason(),
            e.getMessage() + (label == null ? "" : " [" + label + "]"));
        throw e;
      }
      rejected = null;
      String digest = TreeDigest.of(dir);
      String version = label != null ? label : "sha256:" + digest.substring(0, 12);
      if (digest.equals(publishedDigest)) { // (4)
        events.unchanged(ticker.nanoTime() - t0);
        return new Outcome(Result.UNCHANGED, version, false, null, null);
      }
      String folder;
      try {
        folder = publisher.publish(dir); // (5)
      } catch (IOException | RuntimeException e) {
        source.forget(); // fetch it again next time
        throw new SyncFailure(Reason.PUBLISH, e.toString(), e);
      }
      dir = null;
      boolean replaced = publishedDigest != null;
      publishedDigest = digest;
      events.published(version, folder, staging.entries(), staging.bytes(), ticker.nanoTime() - t0);
      return new Outcome(Result.PUBLISHED, version, replaced, null, null);
    } catch (SyncFailure e) {
      return failed(e.reason(), e.getMessage(), t0);
    } catch (IOException | UncheckedIOException e) {
      Reason r = cancellation.cancelled() ? Reason.CANCELLED : dir == null ? Reason.PUBLISH : Reason.FETCH;
      return failed(r, e.toString(), t0);
    } catch (RuntimeException e) {
      // A cancel disconnects a running HttpURLConnection; racing its request, the JDK can throw
      // a RuntimeException (an NPE inside getInputStream) instead of an IOException.
      if (!cancellation.cancelled()) throw e;
      return failed(Reason.CANCELLED, e.toString(), t0);
    } finally {
      if (dir != null) {
        try {
          Publisher.discard(dir);
        } catch (IOException e) {
          // The next start removes it (Publisher's recovery); nothing else depends on it.
        }
      }
    }
  }

  private Outcome failed(Reason reason, String message, long t0) {
    events.failed(reason, message, ticker.nanoTime() - t0);
    return new Outcome(Result.FAILED, null, false, reason, message);
  }
}
