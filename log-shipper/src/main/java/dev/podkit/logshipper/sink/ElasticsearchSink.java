package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.logshipper.Sink;
import dev.podkit.logshipper.SinkEvents;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sink that writes batches to Elasticsearch (or OpenSearch) with the {@code _bulk} API, as
 * {@code create} items with deterministic ids (see {@link BulkBody}, {@link DocumentIds}).
 *
 * <p>An HTTP 200 answer can still carry failed items, so each item's status is read: 2xx, and
 * 409 (already stored by an earlier attempt whose answer was lost), count as delivered; 429 and
 * 5xx items are sent again, alone, in the next attempt; so is an item refused with any other
 * status (400: a mapping error) unless the {@link RetryPolicy} drops refused data: then it is
 * rejected for good, counted by its error type. Whole-request failures (no connection, timeout,
 * 408, 429, 5xx) are retried per the {@link RetryPolicy}; another 4xx is retried too, or rejects
 * what is left of the batch when refused data is dropped.
 */
public final class ElasticsearchSink implements Sink {
  private final HttpPoster poster;
  private final Retrier retrier;
  private final boolean dropRefused;
  private final BulkBody bulk;
  private final DocumentIds ids = new DocumentIds();
  private final Ticker ticker;
  private final SinkEvents events;
  private final JsonOut body = new JsonOut();
  private final JsonOut retryBody = new JsonOut();

  /**
   * @param base Elasticsearch's URL ({@code https://es:9200}); {@code /_bulk} is added unless the
   *     path ends with it. Authentication goes in its headers: {@code Authorization: Basic ...}
   *     or {@code Authorization: ApiKey ...}
   * @param index the index or data stream written to
   */
  public ElasticsearchSink(HttpEndpoint base, String index, Metadata metadata, RetryPolicy retry, Ticker ticker,
      SinkEvents events) {
    if (!index.matches("[a-z0-9][a-z0-9._-]{0,254}")) {
      throw new IllegalArgumentException("bad Elasticsearch index name: '" + index + "'");
    }
    this.poster = new HttpPoster(base.withApiPath("/_bulk"), "application/x-ndjson");
    this.retrier = new Retrier(retry, ticker, events);
    this.dropRefused = retry.dropRefused();
    this.bulk = new BulkBody(index, metadata);
    this.ticker = ticker;
    this.events = events;
  }

  @Override
  public void deliver(Batch batch) throws InterruptedException {
    List<Event> list = batch.events();
    if (list.isEmpty()) {
      return;
    }
    body.clear();
    int[] ends = new int[list.size()];
    bulk.write(list, ids.ids(list), body, ends);
    events.invalidUtf8(body.takeInvalidUtf8());
    retrier.run(new Items(list, ends, ticker.nanoTime()));
  }

  @Override
  public boolean healthy() {
    return retrier.healthy();
  }

  /** The attempts for one batch: each sends the items still pending, and keeps those to retry. */
  private final class Items implements Retrier.Attempt {
    private final List<Event> list;
    private final int[] ends;
    private final long start;
    /** Indexes (into {@code list}) of the items not yet acknowledged or rejected, in order. */
    private int[] pending;
    private int count;
    /** The whole batch's body as sent, kept for retries of a whole-request failure. */
    private HttpPoster.Encoded whole;

    Items(List<Event> list, int[] ends, long start) {
      this.list = list;
      this.ends = ends;
      this.start = start;
      this.count = list.size();
      this.pending = new int[count];
      for (int i = 0; i < count; i++) {
        pending[i] = i;
      }
    }

    @Override
    public int pending() {
      return count;
    }

    @Override
    public Retrier.Outcome run() {
      HttpPoster.Response r;
      try {
        if (count == list.size() && whole == null) {
          whole = poster.encode(body.buffer(), body.length());
        }
        r = poster.post(count == list.size() ? whole : pendingBody());
      } catch (IOException e) {
        return HttpPoster.classify(e);
      }
      if (r.status() < 200 || r.status() >= 300) {
        return HttpPoster.classify(r);
      }
      BulkResponse items;
      try {
        items = BulkResponse.parse(r.body(), count);
      } catch (IOException e) {
        // Sending all pending items again is safe: those already stored answer 409.
        return new Retrier.Outcome.Retry("bad bulk answer", null);
      }
      return settle(items);
    }

    /** Reports what was delivered and rejected; keeps the items to retry as pending. */
    private Retrier.Outcome settle(BulkResponse items) {
      int delivered = 0;
      long bytes = 0;
      int retry = 0;
      String retryReason = null;
      Map<String, Integer> rejected = new LinkedHashMap<>();
      for (int k = 0; k < count; k++) {
        int s = items.statuses()[k];
        int i = pending[k];
        if (s >= 200 && s < 300 || s == 409) {
          delivered++;
          bytes += list.get(i).message().length;
        } else if (s == 429 || s >= 500) {
          pending[retry++] = i; // retry <= k: compacts in place
          retryReason = retryReason == null ? "item status " + s : retryReason;
        } else {
          String type = items.errorTypes()[k];
          String reason = "item status " + s + (type == null ? "" : " " + type);
          if (dropRefused) {
            rejected.merge(reason, 1, Integer::sum);
          } else {
            pending[retry++] = i; // refused, but kept: no default drops data
            retryReason = retryReason == null ? "refused: " + reason : retryReason;
          }
        }
      }
      count = retry;
      if (delivered > 0) {
        events.delivered(delivered, bytes, ticker.nanoTime() - start);
      }
      rejected.forEach((reason, n) -> events.rejected(n, reason));
      return count == 0 ? Retrier.Outcome.DONE : new Retrier.Outcome.Retry(retryReason, null);
    }

    /** The bulk body of just the pending items, cut from the batch's body. */
    private HttpPoster.Encoded pendingBody() {
      retryBody.clear();
      for (int k = 0; k < count; k++) {
        int i = pending[k];
        retryBody.raw(body.buffer(), i == 0 ? 0 : ends[i - 1], ends[i]);
      }
      return poster.encode(retryBody.buffer(), retryBody.length());
    }
  }

  /** Closes the kept-alive connection, if any. */
  @Override
  public void close() {
    poster.close();
  }
}
