package dev.podkit.logshipper;

import dev.podkit.filetail.Position;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Ticker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The batch the tailing thread is filling: events, or a body the sink's {@link LineEncoder}
 * writes lines into (then no object per line), with its line and byte counts, when its first
 * line came, and the files it holds lines of. Full by the {@link BatchPolicy}, or when the
 * caller says, it is cut: handed to the {@link BatchQueue} with those files' positions.
 * Not thread-safe: the tailing thread owns it.
 */
final class PendingBatch {
  private final BatchPolicy policy;
  private final BatchQueue queue;
  private final Ticker ticker;
  /** Where a file's delivered lines end now (its follower's position); empty when unknown. */
  private final Function<String, Optional<Position>> positions;
  /** Null when lines are events. */
  private final LineEncoder encoder;
  /** The body lines are written into, with an encoder; replaced at each cut. */
  private JsonOut body;
  /** What the encoder had written when its lines were last counted in. */
  private long encodedLines;
  private long encodedBytes;
  private List<Event> events = new ArrayList<>();
  private int lines;
  private long bytes;
  private long sinceNanos;
  private final Set<String> files = new LinkedHashSet<>();
  /** Told the lines of each batch cut: lines read into the pipeline. */
  private final LongConsumer cutLines;
  /** Positions of files the batch may hold no line of, for paths no follower gives one for: see {@link #place}. */
  private final Map<String, Position> placed = new HashMap<>();

  PendingBatch(BatchPolicy policy, BatchQueue queue, Ticker ticker, Function<String, Optional<Position>> positions,
      LineEncoder encoder, LongConsumer cutLines) {
    this.cutLines = cutLines;
    this.policy = policy;
    this.queue = queue;
    this.ticker = ticker;
    this.positions = positions;
    this.encoder = encoder;
    if (encoder != null) {
      body = queue.emptyBody(1 << 16);
      encodedLines = encoder.linesWritten();
      encodedBytes = encoder.bytesWritten();
    }
  }

  /** The encoder lines are written with, or null when they become events. */
  LineEncoder encoder() {
    return encoder;
  }

  /** Where the encoder writes now (it changes at each cut). */
  JsonOut body() {
    return body;
  }

  /**
   * Input bytes that hold no more lines than the batch has room for: a line holds at least a
   * byte (its newline) and its message no more bytes than it takes. At least 1.
   */
  long room() {
    return Math.max(1, Math.min(policy.maxBytes() - bytes, policy.maxEvents() - lines));
  }

  /** Adds an event, cutting the batch first if it is full. */
  void add(Event e) {
    cutIfFull();
    counted(e.path(), 1, e.message().length);
    events.add(e);
  }

  /** Counts in what the encoder wrote since the last count, lines of {@code path}. */
  void encoded(String path) {
    long n = encoder.linesWritten() - encodedLines;
    if (n == 0) {
      return;
    }
    counted(path, (int) n, encoder.bytesWritten() - encodedBytes);
    encodedLines = encoder.linesWritten();
    encodedBytes = encoder.bytesWritten();
  }

  /**
   * Makes the next cut carry {@code path}'s position though it may hold none of its lines: a
   * follower went on with a file from where another path's follower left it, and the file's
   * checkpoint must move to its path (a restart would otherwise read it again from its start).
   * Acknowledged after the batches cut before it, which hold the lines up to there.
   */
  void touch(String path) {
    files.add(path);
  }

  /**
   * Makes the next cut carry {@code at} as {@code path}'s position, unless a follower of the path
   * gives one in the same file then (read on from there): a file let go at a rotation is
   * checkpointed under the name it has now, with the batch that holds its last lines (that batch
   * may also begin the new file).
   */
  void place(String path, Position at) {
    placed.put(path, at);
    files.add(path);
  }

  /** Whether the batch holds as many lines or bytes as the policy allows. */
  boolean isFull() {
    return lines >= policy.maxEvents() || bytes >= policy.maxBytes();
  }

  /**
   * Cuts the batch if it is full. Called before a line is added, not after the one that filled
   * it: the reader has then moved past that line, so the positions the cut takes include it
   * exactly (see TailedFile's position while a read is being framed).
   */
  void cutIfFull() {
    if (isFull()) {
      cut();
    }
  }

  /** Whether there is nothing to cut: no line, and no position {@link #touch}ed or {@link #place}d. */
  boolean isEmpty() {
    return files.isEmpty();
  }

  /** Whether the first line has waited the policy's linger. */
  boolean lingered() {
    return lines > 0 && ticker.nanoTime() - sinceNanos >= policy.linger().toNanos();
  }

  /**
   * Hands the lines over with the positions of the files they came from. Positions are taken
   * now, between lines: each is the end of the last line this batch or an earlier one holds (in
   * the middle of a read too), or earlier: a restart may repeat lines, never skip them.
   */
  void cut() {
    if (files.isEmpty()) {
      return;
    }
    cutLines.accept(lines);
    Map<String, Position> at = new HashMap<>();
    for (String path : files) {
      Optional<Position> p = positions.apply(path);
      Position put = placed.get(path);
      if (put != null && (p.isEmpty() || !p.get().file().equals(put.file()))) {
        p = Optional.of(put);
      }
      p.ifPresent(position -> at.put(path, position));
    }
    placed.clear();
    if (lines == 0) {
      if (!at.isEmpty()) {
        queue.put(new BatchQueue.Item(Batch.of(List.of()), at)); // positions only: see touch, place
      }
    } else if (encoder != null) {
      int used = body.length(); // read before the hand-over: the sink thread clears it once done
      queue.put(new BatchQueue.Item(Batch.encoded(new Batch.Body(body, lines, bytes)), at));
      body = queue.emptyBody(used + used / 8);
    } else {
      queue.put(new BatchQueue.Item(Batch.of(events), at));
      events = new ArrayList<>();
    }
    lines = 0;
    bytes = 0;
    files.clear();
  }

  private void counted(String path, int n, long messageBytes) {
    if (lines == 0) {
      sinceNanos = ticker.nanoTime();
    }
    lines += n;
    bytes += messageBytes;
    files.add(path);
  }
}
