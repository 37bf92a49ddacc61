package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Metadata;
import dev.podkit.logshipper.Sink;
import dev.podkit.logshipper.SinkEvents;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Ticker;
import java.util.Map;

/**
 * A sink that pushes batches to Grafana Loki's JSON push API ({@code POST /loki/api/v1/push}),
 * one stream per label set (see {@link LokiPush} for the labels), with the tenant in
 * {@code X-Scope-OrgID} when given and the body optionally gzipped. Loki answers 204; 429 (rate
 * limits, after its Retry-After), 5xx, timeouts and refused connections are retried per the
 * {@link RetryPolicy}; any other status (400: a line too old, too long...) rejects the batch for
 * good, counted.
 */
public final class LokiSink implements Sink {
  private final HttpPoster poster;
  private final Retrier retrier;
  private final LokiPush push;
  private final SinkEvents events;
  private final JsonOut body = new JsonOut();

  /**
   * @param base Loki's URL ({@code http://loki:3100}); {@code /loki/api/v1/push} is added unless
   *     the path ends with it
   * @param labels static labels, added to every stream (names {@code [a-zA-Z_][a-zA-Z0-9_]*})
   * @param tenant the X-Scope-OrgID, or null for a single-tenant Loki
   */
  public LokiSink(HttpEndpoint base, Map<String, String> labels, String tenant, Metadata metadata, RetryPolicy retry,
      Ticker ticker, SinkEvents events) {
    HttpEndpoint e = base.withApiPath("/loki/api/v1/push");
    if (tenant != null && !tenant.isEmpty()) {
      e = e.withHeader("X-Scope-OrgID", tenant);
    }
    this.poster = new HttpPoster(e, "application/json");
    this.retrier = new Retrier(retry, ticker, events);
    this.push = new LokiPush(labels, metadata);
    this.events = events;
  }

  @Override
  public void deliver(Batch batch) throws InterruptedException {
    if (batch.events().isEmpty()) {
      return;
    }
    body.clear();
    push.write(batch, body);
    events.invalidUtf8(body.takeInvalidUtf8());
    retrier.post(poster, body.buffer(), body.length(), batch);
  }

  @Override
  public boolean healthy() {
    return retrier.healthy();
  }

  /** Closes the kept-alive connection, if any. */
  @Override
  public void close() {
    poster.close();
  }
}
