package dev.podkit.logshipper;

import dev.podkit.filetail.FileFollower;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The files the tailing thread follows, by path, and when each is polled: a busy file every
 * round, an idle one less often ({@link IdleBackoff}), a file rotated away while the shipper was
 * down until it is read to its end. Used on the tailing thread only.
 */
final class Followers {
  private final Map<String, FileFollower> byPath = new LinkedHashMap<>();
  /** Followers of files rotated away while the shipper was down: read to their end, then dropped. */
  private final Set<String> draining = new LinkedHashSet<>();
  private final IdleBackoff backoff;
  private final ShipperMetrics metrics;
  /** Told of each follower dropped, before it is closed (its held lines are passed on then). */
  private final BiConsumer<String, FileFollower> letGo;

  Followers(IdleBackoff backoff, ShipperMetrics metrics, BiConsumer<String, FileFollower> letGo) {
    this.backoff = backoff;
    this.metrics = metrics;
    this.letGo = letGo;
  }

  /** Follows {@code path} with {@code f}; a {@code drainOnly} one is dropped once read to its end. */
  void add(String path, FileFollower f, boolean drainOnly) {
    byPath.put(path, f);
    if (drainOnly) {
      draining.add(path);
    }
  }

  boolean contains(String path) {
    return byPath.containsKey(path);
  }

  /** {@code path}'s follower, or null. */
  FileFollower get(String path) {
    return byPath.get(path);
  }

  /** The paths followed, in the order they were added. */
  Set<String> paths() {
    return byPath.keySet();
  }

  /** Polls the followers due this round ({@code everyFile}: all of them); returns the bytes read. */
  int poll(boolean everyFile) {
    int total = 0;
    List<String> drained = List.of(); // made only when a draining follower is done: most rounds have none
    for (Map.Entry<String, FileFollower> e : byPath.entrySet()) {
      if (!everyFile && !backoff.due(e.getKey())) {
        continue;
      }
      int n = e.getValue().poll();
      backoff.polled(e.getKey(), n);
      total += n;
      if (n == 0 && draining.contains(e.getKey())) {
        if (drained.isEmpty()) {
          drained = new ArrayList<>();
        }
        drained.add(e.getKey());
      }
    }
    for (String path : drained) {
      drop(path, byPath.get(path)); // still followed while its held lines are passed on (their positions)
      byPath.remove(path);
      draining.remove(path);
    }
    return total;
  }

  /**
   * Drops each follower whose path the last scan did not find ({@code matched}) and that holds no
   * file any more. A draining follower is kept until {@link #poll} has read it to its end: it may
   * not have opened its file yet (made in this very scan), and its rest would be lost.
   */
  void retain(Set<String> matched) {
    byPath.entrySet().removeIf(e -> {
      if (matched.contains(e.getKey()) || draining.contains(e.getKey()) || e.getValue().holdsFile()) {
        return false;
      }
      drop(e.getKey(), e.getValue());
      return true;
    });
    backoff.retain(byPath.keySet());
  }

  /** Bytes behind the end of each open file, set per file on the metrics; returns their total. */
  long lag() {
    long lag = 0;
    for (Map.Entry<String, FileFollower> e : byPath.entrySet()) {
      long l = e.getValue().lagBytes(); // of the file being read, by its handle: no path lookup per file
      metrics.fileLag(e.getKey()).set(l);
      lag += l;
    }
    return lag;
  }

  /** Closes every follower's file (the loop ends; checkpoints are already taken). */
  void closeAll() {
    for (FileFollower f : byPath.values()) {
      close(f);
    }
  }

  private void drop(String path, FileFollower f) {
    letGo.accept(path, f);
    close(f);
  }

  private static void close(FileFollower f) {
    try {
      f.close();
    } catch (IOException e) {
      // A read-only handle: nothing to recover, and its lines are delivered.
    }
  }
}
