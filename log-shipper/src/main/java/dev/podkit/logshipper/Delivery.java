package dev.podkit.logshipper;

import dev.podkit.filetail.Position;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The sink thread: takes batches in order, delivers each (the sink retries until it is
 * acknowledged), and only then records their positions as checkpoints: at-least-once, and a
 * restart repeats at most the batches that were not acknowledged.
 */
final class Delivery {
  private final BatchQueue queue;
  private final Sink sink;
  private final BiConsumer<String, Position> acknowledged;
  private final Runnable saveCheckpoints;
  private final ShipperMetrics metrics;

  Delivery(BatchQueue queue, Sink sink, BiConsumer<String, Position> acknowledged, Runnable saveCheckpoints,
      ShipperMetrics metrics) {
    this.queue = queue;
    this.sink = sink;
    this.acknowledged = acknowledged;
    this.saveCheckpoints = saveCheckpoints;
    this.metrics = metrics;
  }

  /**
   * Delivers until the queue is closed and empty; then saves the checkpoints a last time. A sink
   * that cannot take output any more (stdout closed, as when piped into head) ends the run with
   * an UncheckedIOException, after which nothing more is acknowledged.
   */
  void run() throws InterruptedException {
    try {
      for (BatchQueue.Item item; (item = queue.take()) != null; ) {
        if (item.batch().lines() > 0) { // none: it only carries positions (PendingBatch.touch, place)
          long t0 = System.nanoTime();
          sink.deliver(item.batch());
          metrics.batchDone(System.nanoTime() - t0);
        }
        for (Map.Entry<String, Position> e : item.positions().entrySet()) {
          acknowledged.accept(e.getKey(), e.getValue());
        }
        saveCheckpoints.run();
        queue.done(item);
      }
    } finally {
      saveCheckpoints.run();
    }
  }

  /**
   * Ships every file to its end once, as the shipper does when stopped: delivers on a thread of
   * its own while {@code tailer}, told to stop, reads every file to its end on this one and closes
   * the queue; then waits (at most a minute) for the last batch. For the AOT training and tests.
   */
  void alongside(Tailer tailer) throws InterruptedException {
    Thread sender = new Thread(() -> {
      try {
        run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sink");
    sender.start();
    tailer.stop();
    tailer.run();
    sender.join(60_000);
  }
}
