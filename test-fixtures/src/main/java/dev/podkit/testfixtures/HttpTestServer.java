package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server on loopback whose answer a test changes while it runs: status,
 * body and one extra header. Counts the requests it served.
 */
public final class HttpTestServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;
  private volatile String body = "ok\n";
  private volatile String header = null;

  private HttpTestServer(HttpServer server) {
    this.server = server;
    server.createContext("/", x -> {
      requests.incrementAndGet();
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      String h = header;
      if (h != null) {
        int colon = h.indexOf(':');
        x.getResponseHeaders().add(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
      }
      x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
  }

  /** Starts a plain HTTP server on 127.0.0.1 and {@code port} (0 for any). */
  public static HttpTestServer http(int port) {
    try {
      return new HttpTestServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts an HTTPS server on 127.0.0.1 with the certificate of {@code tls}. */
  public static HttpTestServer https(SSLContext tls) {
    try {
      HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      return new HttpTestServer(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HttpTestServer status(int s) {
    status = s;
    return this;
  }

  public HttpTestServer body(String b) {
    body = b;
    return this;
  }

  /** Adds {@code "Name: value"} to every response (null for none). */
  public HttpTestServer header(String h) {
    header = h;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
