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

  boolean isEmpty() {
    return lines == 0;
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
    if (lines == 0) {
      return;
    }
    cutLines.accept(lines);
    Map<String, Position> at = new HashMap<>();
    for (String path : files) {
      positions.apply(path).ifPresent(p -> at.put(path, p));
    }
    if (encoder != null) {
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
