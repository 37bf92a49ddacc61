package dev.podkit.logshipper;

import dev.podkit.filetail.FileFollower;
import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.LineSink;
import dev.podkit.filetail.MultilineJoiner;
import dev.podkit.filetail.MultilineOptions;
import dev.podkit.logformat.LineParser;
import dev.podkit.runtime.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The followed paths' lines on their way to events, when the shipper makes events of them (a
 * container-log format, multiline joining; the encoded raw path has none of this): per path a
 * parser and a joiner, what they hold, and when that times out.
 *
 * <p>A path's held lines go out unfinished once they waited their timeout: the joiner's event
 * after {@code --multiline-timeout} from its last line, a parser's parts after the partial-line
 * flush from the round of the last part. The earliest deadline of all paths is kept (a lower
 * bound: a deadline that moved later is not tracked), so {@link #flushTimedOut} is one comparison
 * a round until it passes, whatever the other files do. Owned by the tailing thread.
 */
final class Decodings {
  private final Map<String, Decoding> byPath = new HashMap<>();
  private final Supplier<LineParser> parsers;
  private final MultilineOptions multiline;
  private final Ticker ticker;
  private final long partsTimeoutNanos;
  private final Runnable parseError;
  private final Consumer<Event> out;
  /** The round's read time (wall clock, nanoseconds) and {@link Ticker#nanoTime()}. */
  private long roundTimeNanos;
  private long roundNanos;
  /** No held line times out before this, while {@link #holdsAny}. */
  private long heldDeadline;
  private boolean holdsAny;

  /**
   * @param parsers one parser per path (null: lines are messages as they are)
   * @param multiline how events are joined (null: not joined)
   * @param partsTimeout how long a parser's parts wait for their last one
   * @param parseError told each line the parser does not match (it is shipped as it is)
   * @param out where events go
   */
  Decodings(Supplier<LineParser> parsers, MultilineOptions multiline, Ticker ticker, Duration partsTimeout,
      Runnable parseError, Consumer<Event> out) {
    this.parsers = parsers;
    this.multiline = multiline;
    this.ticker = ticker;
    this.partsTimeoutNanos = partsTimeout.toNanos();
    this.parseError = parseError;
    this.out = out;
  }

  /** Whether lines go through a parser or a joiner (then they must become events). */
  boolean decodes() {
    return parsers != null || multiline != null;
  }

  /** A round of polls begins: its events' read time, and the time timeouts count from. */
  void round(long timeNanos) {
    roundTimeNanos = timeNanos;
    roundNanos = ticker.nanoTime();
  }

  /** The line sink of a newly followed {@code path}; {@link #attach} its follower next. */
  LineSink open(String path) {
    Decoding d = new Decoding(path, new LineDecoder(parsers, parseError));
    byPath.put(path, d);
    return d;
  }

  /** {@code path}'s follower, whose marks say where held lines begin. */
  void attach(String path, FileFollower follower) {
    byPath.get(path).follower = follower;
  }

  /** Where the first line {@code path} holds begins; null when it holds none (or is not decoded). */
  FileFollower.Mark heldFrom(String path) {
    Decoding d = byPath.get(path);
    return d != null && d.holding ? d.heldFrom : null;
  }

  /** Passes on the lines held past their timeout: one comparison while none is due. */
  void flushTimedOut() {
    if (!holdsAny) {
      return;
    }
    long now = ticker.nanoTime();
    if (now - heldDeadline < 0) {
      return;
    }
    holdsAny = false;
    for (Decoding d : byPath.values()) {
      d.flushTimedOut(now);
      if (d.holds()) {
        heldUntil(d.deadline());
      }
    }
  }

  /** Passes on everything held, timed out or not: the shipper stops. */
  void flushHeld() {
    for (Decoding d : byPath.values()) {
      d.flushJoiner();
    }
    for (Decoding d : byPath.values()) {
      d.flushParser();
    }
    holdsAny = false;
  }

  /** {@code path} is let go: what its joiner and parser hold goes out (nothing will complete it). */
  void letGo(String path) {
    Decoding d = byPath.get(path);
    if (d != null) {
      d.flushJoiner();
      d.flushParser();
      byPath.remove(path); // after: a batch cut meanwhile still stops before what was held
    }
  }

  /** Lowers {@link #heldDeadline} to {@code deadline} if that is earlier. */
  private void heldUntil(long deadline) {
    if (!holdsAny || deadline - heldDeadline < 0) {
      heldDeadline = deadline;
      holdsAny = true;
    }
  }

  /**
   * One path's lines on their way to events: its parser, its multiline joiner (null without),
   * and, while they hold lines not yet in an event, a mark of where the first of those begins. A
   * checkpoint must not pass it (a kill would lose the held lines), so the path's position is the
   * one at the mark then.
   */
  private final class Decoding implements LineSink {
    private final String path;
    private final LineDecoder decoder;
    private final MultilineJoiner joiner;
    /** Where a line goes: the joiner, or straight to the parser. */
    private final LineSink chain;
    /** Where the parser's events go (made once, not per line). */
    private final LineDecoder.Out toBatch = this::event;
    FileFollower follower;
    /** Whether lines are held; then {@link #heldFrom} marks where the first of them begins. */
    boolean holding;
    FileFollower.Mark heldFrom;
    /** While the parser holds parts: when they go out without their end (last part's round + the flush time). */
    private long partsDeadline;

    Decoding(String path, LineDecoder decoder) {
      this.path = path;
      this.decoder = decoder;
      LineSink toEvents = (buf, s, e, flags) -> {
        if (decoder.line(buf, s, e, (flags & (LineFlags.CUT | LineFlags.TRUNCATED)) != 0, roundTimeNanos, toBatch)) {
          partsDeadline = roundNanos + partsTimeoutNanos;
        }
      };
      joiner = multiline == null ? null : new MultilineJoiner(multiline, ticker, toEvents);
      chain = joiner == null ? toEvents : joiner;
    }

    @Override
    public void line(byte[] buf, int s, int e, int flags) {
      boolean heldBefore = holding;
      long begun = joiner == null ? 0 : joiner.eventsBegun();
      chain.line(buf, s, e, flags);
      // The follower's mark is still the one before this line (it moves once the line is taken).
      if (!holds()) {
        holding = false;
        return;
      }
      if (!heldBefore || (joiner != null && joiner.eventsBegun() != begun && !decoder.holds())) {
        holding = true;
        heldFrom = follower.mark(); // the held lines begin with this one
      }
      heldUntil(deadline());
    }

    boolean holds() {
      return joiner != null && joiner.holds() || decoder.holds();
    }

    /** When the first of what is held times out: the joiner's event, or the parser's parts. */
    long deadline() {
      if (joiner == null || !joiner.holds()) {
        return partsDeadline;
      }
      return decoder.holds() && partsDeadline - joiner.deadline() < 0 ? partsDeadline : joiner.deadline();
    }

    /** Passes on what is held past its timeout as of {@code now}: the joiner's event, the parser's parts. */
    void flushTimedOut(long now) {
      if (joiner != null) {
        joiner.poll(); // its event may leave parts in the parser, with a deadline of their own
      }
      if (decoder.holds() && now - partsDeadline >= 0) {
        decoder.flush(roundTimeNanos, toBatch);
      }
      if (!holds()) {
        holding = false;
      }
    }

    private void event(byte[] message, long time, String stream, boolean truncated) {
      out.accept(new Event(message, time, path, stream, truncated));
    }

    /** The event the joiner holds goes out. */
    void flushJoiner() {
      if (joiner != null) {
        joiner.flush();
      }
    }

    /** The parts the parser holds go out. */
    void flushParser() {
      decoder.flush(roundTimeNanos, toBatch);
      if (!holds()) {
        holding = false;
      }
    }
  }
}
