package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.LineEncoder;
import dev.podkit.logshipper.Metadata;
import dev.podkit.logshipper.Sink;
import dev.podkit.logshipper.SinkEvents;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A sink that writes to an output stream (stdout): the lines exactly as read ({@link Mode#RAW},
 * byte for byte, as {@code tail -F} prints them), or one JSON object per line with the time,
 * path and metadata ({@link Mode#JSON}). Writes in large chunks and flushes once per batch.
 *
 * <p>A failed write is not retried: stdout fails when its reader is gone (a closed pipe), which
 * no retry mends. {@link #deliver} throws {@link UncheckedIOException}, the batch is not
 * acknowledged, and the shipper should stop as {@code tail} does on SIGPIPE.
 */
public final class StdoutSink implements Sink {
  /** How lines are written. */
  public enum Mode {
    /**
     * Each message's bytes and a newline, unchanged (invalid UTF-8 included); a piece no newline
     * ended in the file gets none (see {@link RawLines}).
     */
    RAW,
    /** One JSON object per line (see {@link EventJson}); invalid UTF-8 becomes U+FFFD. */
    JSON
  }

  /** Bytes gathered before a write: few system calls, bounded memory. */
  private static final int CHUNK = 64 * 1024;
  /** An encoded batch is written in pieces of this size. */
  private static final int BODY_CHUNK = 256 * 1024;

  private final OutputStream out;
  private final Mode mode;
  private final Metadata metadata;
  private final EventJson json;
  private final Ticker ticker;
  private final SinkEvents events;
  private final JsonOut buf = new JsonOut();
  private volatile boolean healthy = true;

  /**
   * @param out where lines go (the shipper passes stdout); not closed by {@link #close}
   * @param metadata added to each line in JSON mode
   */
  public StdoutSink(OutputStream out, Mode mode, Metadata metadata, Ticker ticker, SinkEvents events) {
    this.out = out;
    this.mode = mode;
    this.metadata = metadata;
    this.json = new EventJson(metadata);
    this.ticker = ticker;
    this.events = events;
  }

  /** Raw lines as they are, or NDJSON: the bytes {@link #deliver} writes for events. */
  @Override
  public LineEncoder encoder() {
    return mode == Mode.JSON ? new JsonLines(metadata) : new RawLines(true);
  }

  @Override
  public void deliver(Batch batch) {
    if (batch.lines() == 0) {
      return;
    }
    long start = ticker.nanoTime();
    try {
      if (batch.body() != null) {
        events.invalidUtf8(batch.body().out().takeInvalidUtf8());
        writeBody(batch.body().out());
      } else {
        writeEvents(batch);
      }
    } catch (IOException e) {
      healthy = false;
      throw new UncheckedIOException("writing to stdout failed", e);
    }
    healthy = true;
    events.delivered(batch.lines(), batch.bytes(), ticker.nanoTime() - start);
  }

  /** Writes an encoded batch's bytes as they are, in chunks (a write copies its bytes off the heap). */
  private void writeBody(JsonOut body) throws IOException {
    for (int at = 0; at < body.length(); at += BODY_CHUNK) {
      out.write(body.buffer(), at, Math.min(BODY_CHUNK, body.length() - at));
    }
    out.flush();
  }

  private void writeEvents(Batch batch) throws IOException {
    buf.clear();
    for (Event e : batch.events()) {
      if (mode == Mode.JSON) {
        json.write(e, buf);
        buf.raw('\n');
      } else if (e.message().length >= CHUNK) {
        // A huge line goes out as it is, not copied into the buffer first.
        write();
        out.write(e.message());
        buf.raw('\n');
      } else {
        buf.raw(e.message()).raw('\n');
      }
      if (buf.length() >= CHUNK) {
        write();
      }
    }
    write();
    out.flush();
    events.invalidUtf8(buf.takeInvalidUtf8());
  }

  private void write() throws IOException {
    if (buf.length() > 0) {
      out.write(buf.buffer(), 0, buf.length());
      buf.clear();
    }
  }

  @Override
  public boolean healthy() {
    return healthy;
  }
}
