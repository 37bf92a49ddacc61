package dev.podkit.logshipper.sink;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where an HTTP sink POSTs, and how: the URL, extra request headers (Authorization for basic
 * auth, {@code ApiKey ...} for Elasticsearch, a bearer token...), gzip bodies, and timeouts.
 *
 * @param uri an http or https URL; for Loki and Elasticsearch the base URL, to which the sink
 *     adds its API path unless it is there already
 * @param headers extra request headers, sent on every request
 * @param gzip whether bodies are sent gzip-compressed ({@code Content-Encoding: gzip})
 * @param connectTimeout the longest wait for a connection
 * @param readTimeout the longest wait for the answer once the body is sent
 */
public record HttpEndpoint(URI uri, Map<String, String> headers, boolean gzip, Duration connectTimeout,
    Duration readTimeout) {
  /** Defaults: connections give up after 5 s; an answer may take 60 s (a busy Elasticsearch). */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  public HttpEndpoint {
    if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).matches("https?") || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + uri);
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (!h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("bad header name: '" + h.getKey() + "'");
      }
      if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("line break in header " + h.getKey());
      }
    }
    if (!connectTimeout.isPositive() || !readTimeout.isPositive()) {
      throw new IllegalArgumentException("timeout <= 0: " + connectTimeout + ", " + readTimeout);
    }
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** {@code uri} with no extra headers, no gzip and the default timeouts. */
  public static HttpEndpoint of(URI uri) {
    return new HttpEndpoint(uri, Map.of(), false, CONNECT_TIMEOUT, READ_TIMEOUT);
  }

  public HttpEndpoint withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new HttpEndpoint(uri, all, gzip, connectTimeout, readTimeout);
  }

  public HttpEndpoint withHeader(String name, String value) {
    return withHeaders(Map.of(name, value));
  }

  public HttpEndpoint withGzip(boolean on) {
    return new HttpEndpoint(uri, headers, on, connectTimeout, readTimeout);
  }

  public HttpEndpoint withTimeouts(Duration connect, Duration read) {
    return new HttpEndpoint(uri, headers, gzip, connect, read);
  }

  /** This endpoint with {@code apiPath} added to the URL's path, unless the path already ends with it. */
  HttpEndpoint withApiPath(String apiPath) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith(apiPath)) {
      return this;
    }
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    URI u = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + base + apiPath + query);
    return new HttpEndpoint(u, headers, gzip, connectTimeout, readTimeout);
  }
}
