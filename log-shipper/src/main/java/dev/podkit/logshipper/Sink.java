package dev.podkit.logshipper;

/**
 * Where batches go: stdout, an HTTP endpoint (NDJSON), Loki, Elasticsearch. {@link #deliver}
 * blocks until every event of the batch is acknowledged, retrying with backoff meanwhile (forever
 * by default: no default ever drops data); the shipper's checkpoints advance only after it
 * returns. An event the destination refuses for good (an Elasticsearch mapping error, a 400) is
 * counted and logged by reason, never dropped silently.
 */
public interface Sink extends AutoCloseable {
  /**
   * Delivers {@code batch}; returns when it is acknowledged. A batch with a body comes only to a
   * sink that offered an {@link #encoder}, and was written by it; the sink is done with the
   * body's buffer when this returns.
   */
  void deliver(Batch batch) throws InterruptedException;

  /**
   * A new encoder that writes lines in this sink's wire form, for batches with a {@link
   * Batch#body}; null (the default) when the sink takes events only.
   */
  default LineEncoder encoder() {
    return null;
  }

  /** Whether the last delivery attempt succeeded (for /readyz). */
  default boolean healthy() {
    return true;
  }

  @Override
  default void close() {}
}
