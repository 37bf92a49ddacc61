package dev.podkit.logshipper;

import dev.podkit.filetail.FileFollower;
import dev.podkit.filetail.LineSink;
import dev.podkit.filetail.MultilineOptions;
import dev.podkit.filetail.Position;
import dev.podkit.logformat.LineParser;
import dev.podkit.runtime.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The followers' lines on their way into batches: the sink each follower delivers to (lines
 * written in the sink's form straight into the batch body, or made events of through
 * {@link Decodings}), the round's read time they carry, the lines decodings hold, and the batch
 * being filled and when it is cut. Owned by the tailing thread.
 */
final class Batching {
  private final BatchPolicy policy;
  private final BatchQueue queue;
  private final Ticker ticker;
  private final Duration partialLineFlush;
  private final ShipperMetrics metrics;
  /** Where a file's delivered lines end now, for the positions a cut takes. */
  private final Function<String, Optional<Position>> positions;
  /** Per path, when lines become events (no encoder): parsers, joiners, what they hold. */
  private Decodings decodings;
  /** The batch being filled: events, or a body in the sink's form once {@link #encode} is called. */
  private PendingBatch pending;
  /** When this round's lines were read, nanoseconds since the epoch. */
  private long roundTimeNanos;

  Batching(BatchPolicy policy, BatchQueue queue, Ticker ticker, Duration partialLineFlush, ShipperMetrics metrics,
      Function<String, Optional<Position>> positions) {
    this.policy = policy;
    this.queue = queue;
    this.ticker = ticker;
    this.partialLineFlush = partialLineFlush;
    this.metrics = metrics;
    this.positions = positions;
    this.pending = new PendingBatch(policy, queue, ticker, positions, null, metrics::readLines);
    decode(null, null);
  }

  /**
   * Makes events of lines with a parser from {@code parsers} (null: lines are messages as they
   * are) and joins them by {@code multiline} (null: not joined).
   */
  void decode(Supplier<LineParser> parsers, MultilineOptions multiline) {
    this.decodings = new Decodings(parsers, multiline, ticker, partialLineFlush, metrics::parseError,
        e -> pending.add(e));
  }

  /** Writes lines with {@code encoder} straight into batch bodies (null: lines become events); not with decoding. */
  void encode(LineEncoder encoder) {
    if (encoder != null && decodings.decodes()) {
      throw new IllegalStateException("lines are decoded: they must become events");
    }
    pending = new PendingBatch(policy, queue, ticker, positions, encoder, metrics::readLines);
  }

  /** The sink a new follower of {@code path} delivers to; {@link #attach} the follower next. */
  LineSink sink(String path) {
    if (pending.encoder() != null) {
      return new EncodedLines(pending, path, () -> roundTimeNanos);
    }
    return decodings.open(path);
  }

  /** {@code path}'s follower, made with the {@link #sink} for it. */
  void attach(String path, FileFollower f) {
    if (pending.encoder() == null) {
      decodings.attach(path, f);
    }
  }

  /** A round of polls begins: its lines were read now. */
  void round() {
    roundTimeNanos = System.currentTimeMillis() * 1_000_000L;
    decodings.round(roundTimeNanos);
  }

  /** Passes on the lines held past their timeout (multiline events, container-log parts). */
  void flushTimedOut() {
    decodings.flushTimedOut();
  }

  /** Cuts the batch if it holds anything and the round was {@code idle}, or it lingered, or it is full. */
  void cutIfDue(boolean idle) {
    if (!pending.isEmpty() && (idle || pending.lingered() || pending.isFull())) {
      pending.cut();
    }
  }

  /** Passes on everything held and cuts the last batch: the loop ends. */
  void finish() {
    decodings.flushHeld();
    pending.cut();
  }

  /** Where the first line {@code path} holds begins; null when it holds none. */
  FileFollower.Mark heldFrom(String path) {
    return decodings.heldFrom(path);
  }

  /** {@code path} is let go: what its joiner and parser hold goes out, and they go. */
  void letGo(String path) {
    decodings.letGo(path);
  }

  /** Makes the next cut carry {@code path}'s position, though it may hold none of its lines. */
  void touch(String path) {
    pending.touch(path);
  }

  /** Makes the next cut carry {@code at} as {@code path}'s position ({@link PendingBatch#place}). */
  void place(String path, Position at) {
    pending.place(path, at);
  }
}
