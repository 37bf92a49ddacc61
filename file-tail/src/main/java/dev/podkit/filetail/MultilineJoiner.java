package dev.podkit.filetail;

import dev.podkit.runtime.Ticker;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * Joins lines into events: a line matching the start pattern begins an event, other lines
 * continue it (a Java stack trace under its message), joined with {@code \n}. An event is emitted
 * when the next one begins, when it reaches its line or byte limit, or when no line has come for
 * the flush timeout. Time comes from the injected {@link Ticker} and is looked at on every call;
 * the owner calls {@link #poll()} once {@link #deadline()} is past. No thread of its own; not
 * thread-safe.
 *
 * <p>Events go to a {@link LineSink}. An event cut at a limit is flagged {@link LineFlags#CUT}
 * and the next one {@link LineFlags#CONTINUED}; a TRUNCATED input line marks its event
 * TRUNCATED. Pieces of a long line (input flagged CONTINUED) are glued without a newline.
 */
public final class MultilineJoiner implements LineSink {
  private final Matcher start;
  private final Latin1Chars chars = new Latin1Chars();
  private final int maxLines;
  private final int maxBytes;
  private final long timeoutNanos;
  private final Ticker ticker;
  private final LineSink out;
  /** event[0, length) is the event held; lines == 0 means none is held. */
  private byte[] event = new byte[256];
  private int length;
  private int lines;
  private int flags;
  private long lastLineNanos;
  /** Events begun so far (the held one included). */
  private long begun;

  public MultilineJoiner(MultilineOptions options, Ticker ticker, LineSink out) {
    this.start = options.start().matcher("");
    this.maxLines = options.maxLines();
    this.maxBytes = options.maxBytes();
    this.timeoutNanos = options.flushTimeout().toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void line(byte[] buf, int s, int e, int inFlags) {
    long now = ticker.nanoTime();
    if (lines > 0 && now - lastLineNanos >= timeoutNanos) {
      emit(0);
    }
    boolean piece = (inFlags & LineFlags.CONTINUED) != 0;
    if (lines > 0 && !piece && start.reset(chars.reset(buf, s, e)).find()) {
      emit(0);
    }
    int separator = lines > 0 && !piece ? 1 : 0;
    if (lines > 0 && ((lines >= maxLines && !piece) || length + separator + (e - s) > maxBytes)) {
      emit(LineFlags.CUT);
      flags = LineFlags.CONTINUED;
      separator = 0;
    }
    append(buf, s, e, separator);
    if (!piece || lines == 0) {
      if (lines == 0) {
        begun++;
      }
      lines++;
    }
    flags |= inFlags & LineFlags.TRUNCATED;
    lastLineNanos = now;
  }

  /** Whether an event is held: its lines are taken, not yet passed on. */
  public boolean holds() {
    return lines > 0;
  }

  /**
   * How many events have begun so far, the held one included: a caller that sees it move during
   * a {@link #line} call knows the held event begins with that line.
   */
  public long eventsBegun() {
    return begun;
  }

  /**
   * When the held event's flush timeout passes ({@link Ticker#nanoTime()} time): its last line's
   * time plus the timeout; an owner with many joiners keeps the earliest, to poll only then.
   * Meaningful while {@link #holds()}.
   */
  public long deadline() {
    return lastLineNanos + timeoutNanos;
  }

  /** Emits the held event if the flush timeout has passed since its last line. */
  public void poll() {
    if (lines > 0 && ticker.nanoTime() - lastLineNanos >= timeoutNanos) {
      emit(0);
    }
  }

  /** Emits the held event now (end of input, shutdown). */
  public void flush() {
    if (lines > 0) {
      emit(0);
    }
  }

  private void append(byte[] buf, int s, int e, int separator) {
    int need = length + separator + (e - s);
    if (need > event.length) {
      event = Arrays.copyOf(event, Math.max(need, Math.min(event.length * 2, Math.max(maxBytes, need))));
    }
    if (separator > 0) {
      event[length++] = '\n';
    }
    System.arraycopy(buf, s, event, length, e - s);
    length += e - s;
  }

  private void emit(int extra) {
    out.line(event, 0, length, flags | extra);
    length = 0;
    lines = 0;
    flags = 0;
    if (event.length > 64 * 1024) {
      event = new byte[256]; // after a huge event, do not keep its buffer
    }
  }
}
