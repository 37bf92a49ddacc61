package dev.podkit.logshipper.sink;

import dev.podkit.runtime.Durations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Sends one POST to an {@link HttpEndpoint} and returns the answer; retrying is the {@link
 * Retrier}'s job. Plain {@code http:} goes over {@link PlainHttp}'s own connection; {@code https:}
 * over {@link HttpURLConnection} (both kept alive between requests when the server allows it).
 * The project avoids {@code java.net.http.HttpClient} for its start-up cost. One thread at a time.
 */
final class HttpPoster implements AutoCloseable {
  /** Answers larger than this are cut: an Elasticsearch bulk answer is about 150 bytes an item. */
  private static final int MAX_ANSWER = 64 << 20;

  /**
   * A server's answer.
   *
   * @param status the HTTP status
   * @param body the answer's body (empty when it had none)
   * @param retryAfter the Retry-After header in seconds, or null when absent or not seconds
   */
  record Response(int status, byte[] body, Duration retryAfter) {}

  private final HttpEndpoint endpoint;
  private final String contentType;

  /** The connection for a plain http endpoint; null for https. */
  private final PlainHttp plain;

  HttpPoster(HttpEndpoint endpoint, String contentType) {
    this.endpoint = endpoint;
    this.contentType = contentType;
    this.plain = endpoint.uri().getScheme().equalsIgnoreCase("http") ? new PlainHttp(endpoint, contentType, MAX_ANSWER) : null;
  }

  @Override
  public void close() {
    if (plain != null) {
      plain.close();
    }
  }

  HttpEndpoint endpoint() {
    return endpoint;
  }

  /**
   * A request body ready to send: {@code bytes[0, length)}. Without gzip it is a view of the
   * caller's buffer (no copy), valid while the caller leaves that buffer alone.
   */
  record Encoded(byte[] bytes, int length) {}

  /** Prepares {@code body[0, len)} for sending: gzip-compressed when the endpoint asks for it. */
  Encoded encode(byte[] body, int len) {
    if (!endpoint.gzip()) {
      return new Encoded(body, len); // sent as it is: a copy of a megabyte per batch costs for nothing
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(len / 4 + 64);
    // Fastest level: log lines compress well even so, and the sink thread must keep up.
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(body, 0, len);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // writes to memory do not fail
    }
    return new Encoded(out.toByteArray(), out.size());
  }

  /** POSTs {@code encoded} (from {@link #encode}); throws when there is no answer. */
  Response post(Encoded encoded) throws IOException {
    if (plain != null) {
      return plain.post(encoded.bytes(), encoded.length());
    }
    HttpURLConnection c = (HttpURLConnection) endpoint.uri().toURL().openConnection();
    boolean answered = false;
    try {
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, endpoint.connectTimeout().toMillis()));
      c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, endpoint.readTimeout().toMillis()));
      c.setFixedLengthStreamingMode(encoded.length());
      for (Map.Entry<String, String> h : endpoint.headers().entrySet()) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
      c.setRequestProperty("Content-Type", contentType);
      c.setRequestProperty("User-Agent", "podkit-log-shipper");
      if (endpoint.gzip()) {
        c.setRequestProperty("Content-Encoding", "gzip");
      }
      try (OutputStream o = c.getOutputStream()) {
        o.write(encoded.bytes(), 0, encoded.length());
      }
      int status = c.getResponseCode();
      byte[] body = read(status >= 400 ? c.getErrorStream() : c.getInputStream());
      answered = true;
      return new Response(status, body, Durations.retryAfter(c.getHeaderField("Retry-After")));
    } finally {
      if (!answered) {
        c.disconnect(); // a half-used connection must not go back to the keep-alive pool
      }
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    // Read to the end and close, so that the connection can be reused.
    try (in) {
      return in.readNBytes(MAX_ANSWER);
    }
  }

  /** The outcome of a plain answer: 2xx done; 408, 429, 5xx retried; anything else refused for good. */
  static Retrier.Outcome classify(Response r) {
    int s = r.status();
    if (s >= 200 && s < 300) {
      return Retrier.Outcome.DONE;
    }
    if (s == 408 || s == 429 || s >= 500) {
      return new Retrier.Outcome.Retry("status " + s, r.retryAfter());
    }
    return new Retrier.Outcome.Reject("status " + s);
  }

  /** The outcome of a request that got no answer: always retried, with a short, bounded reason. */
  static Retrier.Outcome classify(IOException e) {
    String reason = e instanceof ConnectException ? "connect failed"
        : e instanceof SocketTimeoutException ? "timeout"
        : e instanceof UnknownHostException ? "unknown host"
        : "io error: " + e.getClass().getSimpleName();
    return new Retrier.Outcome.Retry(reason, null);
  }
}
