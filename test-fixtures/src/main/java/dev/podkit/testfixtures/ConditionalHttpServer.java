package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback serving one file whose content a test replaces while it runs, as
 * a config or static-site origin does: each content gets an ETag and a Last-Modified, and
 * {@code If-None-Match} / {@code If-Modified-Since} are answered 304. A test can make it fail
 * (a status such as 503), cut bodies short (the full Content-Length announced, half sent, the
 * connection closed), or send bodies slowly. Counts what it answered.
 */
public final class ConditionalHttpServer implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final HttpServer server;
  private final AtomicInteger full = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();
  private final List<String> requestHeaders = new ArrayList<>();
  private volatile byte[] content = new byte[0];
  private volatile String etag;
  private volatile String lastModified;
  private volatile boolean validators = true;
  private volatile int failStatus;
  private volatile boolean truncate;
  private volatile Duration chunkDelay = Duration.ZERO;

  public ConditionalHttpServer() {
    // Several threads: a slow body must not hold up the next request.
    server = LoopbackHttp.start(0, this::handle, Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "conditional-http");
      t.setDaemon(true);
      return t;
    }));
  }

  /** Serves {@code bytes} from now on, with a new ETag and Last-Modified. */
  public ConditionalHttpServer content(byte[] bytes) {
    content = bytes.clone();
    etag = "\"" + sha256(bytes).substring(0, 16) + "\"";
    // Whole seconds, as HTTP dates have: a second change within the same second gets a later stamp.
    Instant now = Instant.now().plusSeconds(full.get() + notModified.get());
    lastModified = HTTP_DATE.format(now);
    return this;
  }

  public ConditionalHttpServer content(String text) {
    return content(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether ETag and Last-Modified are sent (and conditional requests honoured). */
  public ConditionalHttpServer validators(boolean on) {
    validators = on;
    return this;
  }

  /** Answers {@code status} to every request from now on; 0 serves again. */
  public ConditionalHttpServer failWith(int status) {
    failStatus = status;
    return this;
  }

  /** Announces the full length but sends only half the body, then closes. */
  public ConditionalHttpServer truncate(boolean on) {
    truncate = on;
    return this;
  }

  /** Sends bodies in 4 KiB chunks with {@code delay} before each. */
  public ConditionalHttpServer chunkDelay(Duration delay) {
    chunkDelay = delay;
    return this;
  }

  public String url(String path) {
    return LoopbackHttp.url(server) + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Responses that carried the content (200s). */
  public int fullResponses() {
    return full.get();
  }

  /** Responses 304 Not Modified. */
  public int notModifiedResponses() {
    return notModified.get();
  }

  /** "If-None-Match: x" and "If-Modified-Since: y" lines of the requests so far, in order. */
  public List<String> conditionalHeaders() {
    synchronized (requestHeaders) {
      return List.copyOf(requestHeaders);
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      x.getRequestBody().readAllBytes();
      String inm = x.getRequestHeaders().getFirst("If-None-Match");
      String ims = x.getRequestHeaders().getFirst("If-Modified-Since");
      synchronized (requestHeaders) {
        if (inm != null) requestHeaders.add("If-None-Match: " + inm);
        if (ims != null) requestHeaders.add("If-Modified-Since: " + ims);
      }
      if (failStatus != 0) {
        x.sendResponseHeaders(failStatus, -1);
        return;
      }
      byte[] body = content;
      if (validators) {
        x.getResponseHeaders().set("ETag", etag);
        x.getResponseHeaders().set("Last-Modified", lastModified);
        if (inm != null ? inm.equals(etag) : ims != null && ims.equals(lastModified)) {
          notModified.incrementAndGet();
          x.sendResponseHeaders(304, -1);
          return;
        }
      }
      full.incrementAndGet();
      x.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      OutputStream out = x.getResponseBody();
      int end = truncate ? body.length / 2 : body.length;
      for (int off = 0; off < end; off += 4096) {
        if (chunkDelay.isPositive()) {
          try {
            Thread.sleep(chunkDelay);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        out.write(body, off, Math.min(4096, end - off));
        out.flush();
      }
      if (truncate) {
        // Without the rest of the announced length the JDK server closes the connection.
        return;
      }
      out.close();
    } catch (IOException e) {
      // The client went away (as a killed syncer does): nothing to answer.
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
