package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A file or archive at an HTTP(S) URL. Asks with {@code If-None-Match} and
 * {@code If-Modified-Since} from the last version it wrote, so an unchanged source costs one
 * 304; checks that the body arrived whole (its Content-Length) and, when one is expected, its
 * SHA-256, before the version counts as fetched. Uses {@link HttpURLConnection}, which costs a
 * fraction of {@code java.net.http.HttpClient}'s start-up, through a {@link Connector}: redirects
 * followed (a few, credentials kept to the configured origin), {@code --ca-file} trusted.
 */
final class HttpSource implements Source {
  /** An extra request header. */
  record Header(String name, String value) {}

  /** Headers that authenticate one request (an S3 signature), made just before it is sent. */
  interface Signer {
    java.util.Map<String, String> headers(URI uri) throws IOException;
  }

  private final URI uri;
  private final Unpacker.Format format;
  private final String fileName;
  private final String expectedSha256;
  private final List<Header> headers;
  private final Path bearerTokenFile;
  private final Connector connector;
  private final Signer signer;
  // Validators of the version written last; null before the first and after forget().
  private String etag;
  private String lastModified;

  HttpSource(URI uri, Unpacker.Format format, String fileName, String expectedSha256, List<Header> headers,
      Path bearerTokenFile, Connector connector, Signer signer) {
    this.uri = uri;
    this.format = format;
    this.fileName = fileName;
    this.expectedSha256 = expectedSha256;
    this.headers = List.copyOf(headers);
    this.bearerTokenFile = bearerTokenFile;
    this.connector = connector;
    this.signer = signer;
  }

  /** The file name a single-file body gets when none is configured: the URL path's last segment. */
  static String defaultFileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() || last.startsWith("..") ? "index.html" : last;
  }

  @Override
  public Fetch fetch(Staging staging) throws IOException, SyncFailure {
    HttpURLConnection c = connector.get(uri, this::prepare, staging.cancellation());
    AutoCloseable abort = c::disconnect;
    staging.cancellation().onCancel(abort);
    try {
      int status = c.getResponseCode();
      if (status == HttpURLConnection.HTTP_NOT_MODIFIED && (etag != null || lastModified != null)) {
        return new Unchanged();
      }
      if (status < 200 || status > 299) {
        try (InputStream err = c.getErrorStream()) {
          if (err != null) err.readNBytes(4096);
        }
        throw new SyncFailure(Reason.STATUS, "HTTP status " + status + " from " + describe());
      }
      long length = c.getContentLengthLong();
      CountingDigestStream body = new CountingDigestStream(c.getInputStream(), staging.limits().maxBytes());
      try (body) {
        Unpacker.unpack(body, format, fileName, staging);
        body.drain();
      } catch (CountingDigestStream.LimitExceeded e) {
        throw new SyncFailure(Reason.LIMIT, e.getMessage());
      }
      if (length >= 0 && body.count() != length) {
        throw new SyncFailure(Reason.FETCH, "body cut short: " + body.count() + " of " + length + " bytes");
      }
      String sha = body.sha256Hex();
      if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
        throw new SyncFailure(Reason.CHECKSUM, "sha256 is " + sha + ", expected " + expectedSha256);
      }
      etag = c.getHeaderField("ETag");
      lastModified = c.getHeaderField("Last-Modified");
      return new Fetched("sha256:" + sha.substring(0, 12));
    } catch (IOException e) {
      staging.cancellation().check();
      throw e;
    } finally {
      staging.cancellation().forget(abort);
      c.disconnect();
    }
  }

  /**
   * The request's headers. The extra headers, the bearer token and an S3 signature go to the
   * configured origin only, never to another one a redirect points at.
   */
  private void prepare(HttpURLConnection c, URI at, boolean sameOrigin) throws IOException {
    c.setRequestProperty("Accept-Encoding", "identity");
    if (sameOrigin) {
      for (Header h : headers) c.setRequestProperty(h.name(), h.value());
      if (bearerTokenFile != null) {
        // Read at every fetch: a mounted Secret's token may be rotated under us.
        c.setRequestProperty("Authorization", "Bearer " + Files.readString(bearerTokenFile, StandardCharsets.UTF_8).strip());
      }
      if (signer != null) signer.headers(at).forEach(c::setRequestProperty);
    }
    if (etag != null) c.setRequestProperty("If-None-Match", etag);
    if (lastModified != null) c.setRequestProperty("If-Modified-Since", lastModified);
  }

  @Override
  public void forget() {
    etag = null;
    lastModified = null;
  }

  @Override
  public String describe() {
    // No user info or query in logs: either may hold a secret.
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + uri.getPath();
  }
}
