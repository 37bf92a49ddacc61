package dev.podkit.logshipper;

import dev.podkit.filetail.Position;
import dev.podkit.runtime.JsonOut;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The hand-over between the tailing thread and the sink thread, bounded in bytes: when the
 * batches waiting (and the one being delivered) reach the memory limit, the tailing thread stops
 * reading until the sink catches up, so the files are the buffer and memory stays flat however
 * long the sink is down.
 */
final class BatchQueue {
  /**
   * A batch with the positions to checkpoint once it is acknowledged (path to position), and
   * the heap it holds, counted once ({@link Batch#heapBytes}).
   */
  record Item(Batch batch, Map<String, Position> positions, long heapBytes) {
    Item(Batch batch, Map<String, Position> positions) {
      this(batch, positions, batch.heapBytes());
    }
  }

  /** The largest body buffer kept for reuse: one grown by a huge line is not. */
  private static final int SPARE_MAX_BYTES = 4 << 20;

  private final long limitBytes;
  private final ArrayDeque<Item> items = new ArrayDeque<>();
  /**
   * Buffers of delivered bodies, cleared, for the next batches, so that a busy shipper allocates
   * (and the collector copies) none. Their bytes and the queued ones stay within the limit, give
   * or take a batch, as the queued ones alone do. Guarded by this.
   */
  private final ArrayDeque<JsonOut> spare = new ArrayDeque<>();
  private long spareBytes; // guarded by this
  private long bytes; // guarded by this: queued and in delivery
  private int inFlight; // guarded by this: taken, not done yet
  private boolean closed; // guarded by this

  BatchQueue(long limitBytes) {
    if (limitBytes < 1) throw new IllegalArgumentException("limitBytes < 1: " + limitBytes);
    this.limitBytes = limitBytes;
  }

  /** Whether the tailing thread may read more now. */
  synchronized boolean hasRoom() {
    return bytes < limitBytes;
  }

  /** Heap bytes of the batches queued or being delivered. */
  synchronized long bytes() {
    return bytes;
  }

  synchronized void put(Item item) {
    items.add(item);
    bytes += item.heapBytes();
    notifyAll();
  }

  /** The next batch, waiting for one; null once closed and empty. */
  synchronized Item take() throws InterruptedException {
    while (items.isEmpty() && !closed) {
      wait();
    }
    Item item = items.poll();
    if (item != null) {
      inFlight++;
    }
    return item;
  }

  /** The sink is done with {@code item}: its bytes no longer count, its body's buffer may be reused. */
  synchronized void done(Item item) {
    bytes -= item.heapBytes();
    inFlight--;
    Batch.Body body = item.batch().body();
    if (body != null) {
      int size = body.out().buffer().length;
      // Queued and spare bytes stay within the limit but for this one buffer. The tailing
      // thread stops reading once the queue reaches the limit, a batch past it at most; the
      // buffers handed back while it waits are those it takes again when it reads on.
      if (size <= SPARE_MAX_BYTES && bytes + spareBytes <= limitBytes) {
        body.out().clear();
        spare.push(body.out());
        spareBytes += size;
      }
    }
    notifyAll();
  }

  /**
   * An empty buffer for a batch's body: one a delivered batch left (the latest), or a new one of
   * {@code capacity} bytes (about what the last batch took: a buffer that has to grow to its
   * size is copied and collected several times over).
   */
  synchronized JsonOut emptyBody(int capacity) {
    JsonOut out = spare.poll();
    if (out == null) {
      return new JsonOut(Math.min(capacity, SPARE_MAX_BYTES));
    }
    spareBytes -= out.buffer().length;
    return out;
  }

  /** Lets go of the spare buffers but {@code keep}: the files are quiet, the heap may shrink. */
  synchronized void trimSpares(int keep) {
    while (spare.size() > keep) {
      spareBytes -= spare.removeLast().buffer().length;
    }
  }

  /** No more batches will come; take() returns null once the queue is empty. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Waits until every batch was taken and done, or the time is up; true when drained. */
  synchronized boolean awaitDrained(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    while (inFlight > 0 || !items.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
