package dev.podkit.initwaiter;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Ready when a GET of the URL answers an accepted status, and the body and headers match what
 * {@link HttpExpectations} asks. Redirects are not followed: the status of the URL itself counts.
 * Each attempt uses a new connection ({@code Connection: close}), so a restarted server is seen.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter loads
 * about 2,300 classes and sets up TLS even for plain http, over a second of CPU in a cold JVM.
 */
final class HttpProbe implements Probe {
  private static final int MAX_BODY = 64 * 1024;

  private final URI uri;
  private final HttpExpectations expect;
  private final SSLSocketFactory tls;

  /** {@code tls} is null for http:// URLs. */
  HttpProbe(URI uri, HttpExpectations expect, SSLSocketFactory tls) {
    this.uri = uri;
    this.expect = expect;
    this.tls = tls;
  }

  @Override
  public ProbeResult check(Duration timeout) {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection();
      if (c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls);
        if (expect.insecure()) {
          https.setHostnameVerifier((host, session) -> true);
        }
      }
      int ms = (int) Math.max(1, timeout.toMillis());
      c.setConnectTimeout(ms);
      c.setReadTimeout(ms);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestProperty("Connection", "close");
      c.setRequestProperty("User-Agent", "podkit-init-waiter");
      int status = c.getResponseCode();
      if (!expect.status().contains(status)) {
        return ProbeResult.notReady("status " + status + ", want " + expect.status());
      }
      for (HttpExpectations.HeaderMatch h : expect.headers()) {
        List<String> values = c.getHeaderFields().entrySet().stream()
            .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(h.name()))
            .flatMap(e -> e.getValue().stream()).toList();
        if (values.stream().noneMatch(v -> h.value().matcher(v).find())) {
          return ProbeResult.notReady("status " + status + ", header " + h.name()
              + (values.isEmpty() ? " missing" : " is '" + values.getFirst() + "'") + ", want " + h.value());
        }
      }
      if (expect.needsBody()) {
        String body = readBody(status >= 400 ? c.getErrorStream() : c.getInputStream());
        if (expect.bodyContains() != null && !body.contains(expect.bodyContains())) {
          return ProbeResult.notReady("status " + status + ", body lacks '" + expect.bodyContains() + "'");
        }
        if (expect.bodyRegex() != null && !expect.bodyRegex().matcher(body).find()) {
          return ProbeResult.notReady("status " + status + ", body does not match /" + expect.bodyRegex() + "/");
        }
      }
      return ProbeResult.ready("status " + status);
    } catch (IOException e) {
      return ProbeResult.notReady(NetErrors.describe(e));
    } catch (IllegalArgumentException e) {
      return ProbeResult.notReady("bad url: " + e.getMessage());
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  private static String readBody(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
    }
  }
}
