package dev.podkit.logshipper;

/**
 * Where batches go: stdout, an HTTP endpoint (NDJSON), Loki, Elasticsearch. {@link #deliver}
 * blocks until every event of the batch is acknowledged, retrying with backoff meanwhile (forever
 * by default: no default ever drops data); the shipper's checkpoints advance only after it
 * returns. An event the destination refuses for good (an Elasticsearch mapping error, a 400) is
 * counted and logged by reason, never dropped silently.
 */
public interface Sink extends AutoCloseable {
  /** Delivers {@code batch}; returns when it is acknowledged. */
  void deliver(Batch batch) throws InterruptedException;

  /** Whether the last delivery attempt succeeded (for /readyz). */
  default boolean healthy() {
    return true;
  }

  @Override
  default void close() {}
}
