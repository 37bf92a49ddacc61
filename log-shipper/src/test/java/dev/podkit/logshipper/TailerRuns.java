package dev.podkit.logshipper;

/** Test runs of a {@link Tailer} with its {@link Delivery}, as the shipper wires them. */
final class TailerRuns {
  private TailerRuns() {}

  /**
   * Ships every file to its end once, as the shipper does when stopped: the tailer reads them to
   * their ends, hands everything over and closes the queue, while the delivery runs on its own
   * thread until the queue is empty.
   */
  static void toTheEnd(Tailer tailer, Delivery delivery) throws InterruptedException {
    Thread sender = new Thread(() -> {
      try {
        delivery.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sender.start();
    tailer.stop();
    tailer.run();
    sender.join(30_000);
  }
}
