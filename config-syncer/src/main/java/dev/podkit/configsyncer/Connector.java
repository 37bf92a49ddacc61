package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens the HTTP(S) connections of sources, S3 and the webhook alike: connect and read timeouts,
 * no cache, the trust of {@code --ca-file} for https, and redirects followed here rather than by
 * {@link HttpURLConnection}: at most {@link #MAX_REDIRECTS}, never from https to http, and the
 * request's credentials (what {@link Request#prepare} adds when {@code sameOrigin}) sent only to
 * the origin that was configured.
 */
final class Connector {
  static final int MAX_REDIRECTS = 5;

  /** Sets up one request of a chain of redirects; {@code sameOrigin}: {@code at} has the first URL's origin. */
  interface Request {
    void prepare(HttpURLConnection c, URI at, boolean sameOrigin) throws IOException;
  }

  private final SSLSocketFactory tls;
  private final Duration timeout;

  /** {@code tls}: the https socket factory, or null for the runtime's roots. */
  Connector(SSLSocketFactory tls, Duration timeout) {
    this.tls = tls;
    this.timeout = timeout;
  }

  /** A connection to {@code uri}, not yet connected; it does not follow redirects itself. */
  HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    if (tls != null && c instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
    c.setConnectTimeout((int) timeout.toMillis());
    c.setReadTimeout((int) timeout.toMillis());
    c.setUseCaches(false);
    c.setInstanceFollowRedirects(false);
    return c;
  }

  /**
   * GETs {@code uri}, following redirects; returns the connection of the last answer (its status
   * read), which the caller disconnects. Each connection can be aborted through {@code cancellation}.
   */
  HttpURLConnection get(URI uri, Request request, Cancellation cancellation) throws IOException, SyncFailure {
    URI at = uri;
    for (int hop = 0; ; hop++) {
      HttpURLConnection c = open(at);
      AutoCloseable abort = c::disconnect;
      cancellation.onCancel(abort);
      boolean handedOver = false;
      try {
        request.prepare(c, at, sameOrigin(uri, at));
        int status = c.getResponseCode();
        if (!redirect(status)) {
          handedOver = true;
          return c;
        }
        String location = c.getHeaderField("Location");
        drain(c);
        if (location == null || location.isBlank()) {
          throw new SyncFailure(Reason.STATUS, "HTTP status " + status + " without a Location from " + where(at));
        }
        if (hop == MAX_REDIRECTS) {
          throw new SyncFailure(Reason.STATUS, "more than " + MAX_REDIRECTS + " redirects from " + where(uri));
        }
        URI next = next(at, location.strip());
        at = next;
      } catch (IOException e) {
        cancellation.check();
        throw e;
      } finally {
        cancellation.forget(abort);
        if (!handedOver) c.disconnect();
      }
    }
  }

  private static URI next(URI at, String location) throws SyncFailure {
    URI next;
    try {
      next = at.resolve(new URI(location));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new SyncFailure(Reason.STATUS, "redirect to a bad Location from " + where(at));
    }
    String scheme = String.valueOf(next.getScheme()).toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new SyncFailure(Reason.STATUS, "redirect to a " + scheme + " URL from " + where(at) + " refused");
    }
    if (at.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw new SyncFailure(Reason.STATUS, "redirect from https to plain http refused: " + where(next));
    }
    return next;
  }

  /** A URL for messages: no user info or query, either may hold a secret. */
  static String where(URI u) {
    return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + u.getPath();
  }

  static boolean redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Same scheme, host and port (the port a scheme implies when none is written). */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(Objects.toString(b.getHost(), "")) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static void drain(HttpURLConnection c) throws IOException {
    try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) in.readNBytes(4096);
    } catch (IOException e) {
      // A redirect without a body: nothing to read.
    }
  }
}
