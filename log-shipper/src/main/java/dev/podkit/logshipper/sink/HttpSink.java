package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.LineEncoder;
import dev.podkit.logshipper.Metadata;
import dev.podkit.logshipper.Sink;
import dev.podkit.logshipper.SinkEvents;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Ticker;

/**
 * A sink that POSTs each batch to an HTTP endpoint as NDJSON ({@code application/x-ndjson}): one
 * JSON object per event, the same objects as {@link StdoutSink}'s JSON mode, optionally gzipped.
 * 2xx acknowledges the batch; no connection, a timeout, 408, 429 (after its Retry-After) and 5xx
 * are retried per the {@link RetryPolicy}; any other status rejects the batch for good, counted.
 */
public final class HttpSink implements Sink {
  private final HttpPoster poster;
  private final Retrier retrier;
  private final Metadata metadata;
  private final EventJson json;
  private final SinkEvents events;
  private final JsonOut body = new JsonOut();

  /**
   * @param endpoint the full URL to POST to, headers, gzip, timeouts
   * @param metadata added to every event
   */
  public HttpSink(HttpEndpoint endpoint, Metadata metadata, RetryPolicy retry, Ticker ticker, SinkEvents events) {
    this.poster = new HttpPoster(endpoint, "application/x-ndjson");
    this.retrier = new Retrier(retry, ticker, events);
    this.metadata = metadata;
    this.json = new EventJson(metadata);
    this.events = events;
  }

  /** NDJSON lines, the bytes {@link #deliver} writes for events. */
  @Override
  public LineEncoder encoder() {
    return new JsonLines(metadata);
  }

  @Override
  public void deliver(Batch batch) throws InterruptedException {
    if (batch.lines() == 0) {
      return;
    }
    if (batch.body() != null) {
      JsonOut encoded = batch.body().out();
      events.invalidUtf8(encoded.takeInvalidUtf8());
      retrier.post(poster, encoded.buffer(), encoded.length(), batch);
      return;
    }
    body.clear();
    for (Event e : batch.events()) {
      json.write(e, body);
      body.raw('\n');
    }
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
