package dev.podkit.configsyncer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Calls the app's reload URL: {@code POST} (or the configured method) with the header
 * {@code Podkit-Version} and a small JSON body naming the version; any 2xx answer counts (a
 * redirect is not followed: it is a failure, retried). https trusts {@code --ca-file} when given.
 */
final class WebhookNotifier implements Notifier {
  private final URI url;
  private final String method;
  private final Connector connector;

  WebhookNotifier(URI url, String method, Connector connector) {
    this.url = url;
    this.method = method;
    this.connector = connector;
  }

  @Override
  public String kind() {
    return "webhook";
  }

  @Override
  public void notify(String version) throws IOException {
    HttpURLConnection c = connector.open(url);
    try {
      c.setRequestMethod(method);
      c.setRequestProperty("Podkit-Version", version);
      if (!method.equals("GET") && !method.equals("HEAD")) {
        byte[] body = ("{\"version\":\"" + version + "\"}\n").getBytes(StandardCharsets.UTF_8);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) in.readNBytes(4096);
      }
      if (status < 200 || status > 299) {
        throw new IOException("webhook answered " + status);
      }
    } finally {
      c.disconnect();
    }
  }
}
