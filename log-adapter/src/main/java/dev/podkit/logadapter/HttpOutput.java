package dev.podkit.logadapter;

import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.Durations;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;

/**
 * POSTs JSON lines as NDJSON batches ({@code application/x-ndjson}): a batch goes when it reaches
 * {@code batchBytes}, or at a flush once it is {@code linger} old. A failed POST (no connection,
 * 408, 429, 5xx) is retried with backoff until it succeeds, waiting at least what the answer's
 * Retry-After asks (in seconds, at most {@link #MAX_RETRY_AFTER}): {@link #write} blocks
 * meanwhile, so the input waits and nothing is lost. Any other 4xx means the endpoint refuses
 * this batch for good: it is dropped, counted and logged, as retrying it could never succeed.
 * The connection is kept alive between batches (the JDK's keep-alive cache) once an answer was
 * read whole; one that failed halfway is closed.
 */
final class HttpOutput implements Output {
  /** The longest a Retry-After is waited for; a larger one is waited this long, then retried. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final URI uri;
  private final int batchBytes;
  private final Duration linger;
  private final Duration timeout;
  private final Backoff backoff;
  private final Ticker ticker;
  private final AdapterEvents events;
  private byte[] batch;
  private int len;
  private long firstAt;
  /** The Retry-After of the last answer, or null. */
  private Duration retryAfter;

  HttpOutput(URI uri, int batchBytes, Duration linger, Duration timeout, Backoff backoff, Ticker ticker,
      AdapterEvents events) {
    this.uri = uri;
    this.batchBytes = batchBytes;
    this.linger = linger;
    this.timeout = timeout;
    this.backoff = backoff;
    this.ticker = ticker;
    this.events = events;
    this.batch = new byte[Math.max(64 * 1024, batchBytes + 64 * 1024)];
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (this.len == 0) {
      firstAt = ticker.nanoTime();
    }
    if (this.len + len > batch.length) {
      batch = Arrays.copyOf(batch, this.len + len);
    }
    System.arraycopy(b, off, batch, this.len, len);
    this.len += len;
    if (this.len >= batchBytes) {
      send();
    }
  }

  @Override
  public void flush() throws IOException {
    if (len > 0 && ticker.nanoTime() - firstAt >= linger.toNanos()) {
      send();
    }
  }

  @Override
  public void close() throws IOException {
    if (len > 0) {
      send();
    }
  }

  /** Sends the batch, retrying until it is taken or refused for good. */
  private void send() throws IOException {
    for (int attempt = 0; ; attempt++) {
      String failure = post();
      if (failure == null) {
        len = 0;
        return;
      }
      if (failure.startsWith("rejected")) {
        events.outputError(failure, true);
        len = 0;
        return;
      }
      events.outputError(failure, false);
      Duration wait = backoff.delay(attempt);
      if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
        wait = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
      }
      try {
        ticker.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while retrying " + uri);
      }
    }
  }

  /** One POST; null when accepted, else why not ("rejected: ..." when retrying cannot help). */
  private String post() {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setConnectTimeout((int) timeout.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      c.setFixedLengthStreamingMode(len);
      c.setRequestProperty("Content-Type", "application/x-ndjson");
      c.setRequestProperty("User-Agent", "podkit-log-adapter");
      try (OutputStream o = c.getOutputStream()) {
        o.write(batch, 0, len);
      }
      int status = c.getResponseCode();
      retryAfter = Durations.retryAfter(c.getHeaderField("Retry-After"));
      // Read to the end and closed: the connection goes back to the keep-alive cache.
      drain(status >= 400 ? c.getErrorStream() : c.getInputStream());
      if (status < 300) {
        return null;
      }
      if (status == 408 || status == 429 || status >= 500) {
        return "status " + status;
      }
      return "rejected: status " + status;
    } catch (IOException e) {
      retryAfter = null;
      if (c != null) {
        c.disconnect(); // halfway through an exchange: not to be used again
      }
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static void drain(InputStream in) throws IOException {
    if (in != null) {
      try (in) {
        in.readNBytes(64 * 1024);
      }
    }
  }
}
