package dev.podkit.logshipper;

import dev.podkit.filetail.LineFramer;
import dev.podkit.filetail.LineSink;
import java.util.function.LongSupplier;

/**
 * One file's lines into the pending batch's body, in the sink's form: whole short lines a read
 * block at a time, the rest (pieces of long lines, flushed partial lines) one by one, in the
 * order read. Blocks are offered in slices the batch has room for, so batches are cut where the
 * event path cuts them; a full batch is cut when the next line comes, once the framer has
 * counted the lines before it as delivered, so the cut's positions include them.
 */
final class EncodedLines implements LineSink {
  private final PendingBatch batch;
  private final String path;
  /** When the lines being framed were read, nanoseconds since the epoch. */
  private final LongSupplier readNanos;

  EncodedLines(PendingBatch batch, String path, LongSupplier readNanos) {
    this.batch = batch;
    this.path = path;
    this.readNanos = readNanos;
  }

  @Override
  public void line(byte[] buf, int start, int end, int flags) {
    batch.cutIfFull();
    batch.encoder().line(buf, start, end, path, readNanos.getAsLong(), flags, batch.body());
    batch.encoded(path);
  }

  @Override
  public boolean takesBlocks() {
    return true;
  }

  @Override
  public boolean keepsCr() {
    return batch.encoder().keepsCr();
  }

  @Override
  public int lines(byte[] buf, int start, int end, int maxLineBytes) {
    LineEncoder encoder = batch.encoder();
    long now = readNanos.getAsLong();
    int s = start;
    while (s < end) {
      if (batch.isFull()) {
        if (s > start) {
          return s; // back to the framer, which then knows where delivery stands; offered the rest next
        }
        batch.cut();
      }
      int slice = (int) Math.min(end, s + batch.room());
      int stop = encoder.lines(buf, s, slice, maxLineBytes, path, now, batch.body());
      if (stop == s && slice < end) {
        // Not one whole line in the room left: exactly one line, and the batch is cut after it.
        int nl = LineFramer.indexOfNewline(buf, s, end);
        stop = nl < 0 ? s : encoder.lines(buf, s, nl + 1, maxLineBytes, path, now, batch.body());
      }
      batch.encoded(path);
      if (stop == s) {
        return s; // a long or unterminated line: the framer's
      }
      s = stop;
    }
    return s;
  }
}
