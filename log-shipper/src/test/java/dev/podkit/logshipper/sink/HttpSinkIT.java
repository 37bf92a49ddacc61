package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.Ticker;
import dev.podkit.runtime.TlsContexts;
import dev.podkit.testfixtures.FakeTicker;
import dev.podkit.testfixtures.RecordingHttpServer;
import dev.podkit.testfixtures.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSinkIT {
  private final RecordingSinkEvents events = new RecordingSinkEvents();

  @Test
  void http_503Then200_deliversTheBatchOnceAfterBackoff() throws Exception {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      HookedTicker ticker = new HookedTicker(n -> {
        if (n == 2) {
          server.status(200); // the endpoint comes back during the second wait
        }
      });
      HttpSink sink = sink(server.url("/ingest"), ticker);

      sink.deliver(Events.batch("one", "two", "three"));
      sink.deliver(Events.batch("four"));

      assertEquals(2, server.refused());
      assertEquals(2, server.bodies().size());
      assertEquals(List.of("one", "two", "three", "four"), server.lines().stream().map(HttpSinkIT::message).toList());
      assertEquals(List.of("application/x-ndjson", "application/x-ndjson"), server.contentTypes());
      assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), ticker.fake.sleeps());
      assertEquals(List.of("retried status 503", "retried status 503", "delivered 3", "delivered 1"), events.events());
      assertEquals(15, events.deliveredBytes());
      assertTrue(sink.healthy());
    }
  }

  @Test
  void http_ndjsonLines_carryMetadataAndEndWithNewline() throws Exception {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      HttpSink sink = new HttpSink(HttpEndpoint.of(URI.create(server.url("/"))), new Metadata("web-1", "shop", "n1", "app"),
          RetryPolicy.forever(), new FakeTicker(), events);

      sink.deliver(Events.batch("a", "b"));

      String body = server.bodies().get(0);
      assertTrue(body.endsWith("}\n"), body);
      Map<String, Object> first = StdoutSinkTest.parse(body.lines().findFirst().orElseThrow());
      assertEquals("web-1", first.get("pod"));
      assertEquals("n1", first.get("node"));
      assertEquals("/var/log/app.log", first.get("path"));
      assertEquals("2024-01-01T00:00:00.123456789Z", first.get("time"));
    }
  }

  @Test
  void http_401_byDefault_retriedUntilTaken_unhealthyMeanwhile() throws Exception {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(401); // an expired token, say: the batch waits for a fixed one
      List<Boolean> healthWhileRefused = new ArrayList<>();
      HttpSink[] sink = new HttpSink[1];
      HookedTicker ticker = new HookedTicker(n -> {
        healthWhileRefused.add(sink[0].healthy());
        if (n == 2) {
          server.status(200);
        }
      });
      sink[0] = sink(server.url("/"), ticker);

      sink[0].deliver(Events.batch("a", "b", "c"));

      assertEquals(2, server.refused());
      assertEquals(List.of("a", "b", "c"), server.bodies().stream().flatMap(String::lines).map(HttpSinkIT::message).toList());
      assertEquals(List.of("retried refused: status 401", "retried refused: status 401", "delivered 3"), events.events());
      assertEquals(List.of(false, false), healthWhileRefused);
      assertTrue(sink[0].healthy());
    }
  }

  @Test
  void http_400_withDropRefused_rejectsTheBatchOnceAndCountsIt() throws Exception {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(400);
      FakeTicker ticker = new FakeTicker();
      HttpSink sink = new HttpSink(HttpEndpoint.of(URI.create(server.url("/"))), Metadata.NONE,
          RetryPolicy.forever().withDropRefused(true), ticker, events);

      sink.deliver(Events.batch("a", "b", "c"));

      assertEquals(1, server.refused());
      assertEquals(List.of("rejected 3 status 400"), events.events());
      assertEquals(List.of(), ticker.sleeps());
      assertTrue(sink.healthy());
    }
  }

  @Test
  void http_gzipAndHeaders_bodyDecodesToTheSameLines() throws Exception {
    try (RawServer server = new RawServer()) {
      HttpEndpoint e = HttpEndpoint.of(URI.create(server.url())).withGzip(true).withHeader("Authorization", "Bearer t0k");
      HttpSink sink = new HttpSink(e, Metadata.NONE, RetryPolicy.forever(), new FakeTicker(), events);

      sink.deliver(Events.batch("héllo", "wörld"));

      assertEquals("gzip", server.encoding);
      assertEquals("Bearer t0k", server.authorization);
      String body = new String(new GZIPInputStream(new ByteArrayInputStream(server.body)).readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(List.of("héllo", "wörld"), body.lines().map(HttpSinkIT::message).toList());
      assertEquals(List.of("delivered 2"), events.events());
    }
  }

  @Test
  void http_nothingListens_retriesThenRejectsWhenAttemptsRunOut() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: connections are refused
    }
    FakeTicker ticker = new FakeTicker();
    HttpSink sink = new HttpSink(HttpEndpoint.of(URI.create("http://127.0.0.1:" + port + "/")), Metadata.NONE,
        RetryPolicy.attempts(3), ticker, events);

    sink.deliver(Events.batch("a", "b"));

    assertEquals(List.of("retried connect failed", "retried connect failed", "rejected 2 retries exhausted"), events.events());
    assertEquals(2, ticker.sleeps().size());
    assertFalse(sink.healthy());
  }

  @Test
  void http_stoppedWhileRetrying_throwsInterruptedException() throws Exception {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      HookedTicker ticker = new HookedTicker(n -> {
        if (n == 3) {
          Thread.currentThread().interrupt(); // the shipper's deadline passed
        }
      });
      HttpSink sink = sink(server.url("/"), ticker);

      assertThrows(InterruptedException.class, () -> sink.deliver(Events.batch("a")));

      assertEquals(3, server.refused());
      assertFalse(events.events().contains("delivered 1"));
    }
  }

  @Test
  void http_httpsEndpoint_deliversOverTheJdkClient(@TempDir Path dir) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "sink");
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
    List<String> bodies = new CopyOnWriteArrayList<>();
    server.createContext("/", x -> {
      bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.start();
    SSLSocketFactory before = HttpsURLConnection.getDefaultSSLSocketFactory();
    // https stays with HttpURLConnection, which trusts what the JVM's default factory trusts.
    HttpsURLConnection.setDefaultSSLSocketFactory(TlsContexts.socketFactory(cert.certificatePem(), false));
    try {
      // Bounded attempts: a TLS failure ends the test with "rejected", not an endless retry.
      HttpSink sink = new HttpSink(HttpEndpoint.of(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/in")),
          Metadata.NONE, RetryPolicy.attempts(2), new FakeTicker(), events);

      sink.deliver(Events.batch("over", "tls"));
      sink.deliver(Events.batch("again"));

      assertEquals(List.of("over", "tls", "again"),
          bodies.stream().flatMap(String::lines).map(HttpSinkIT::message).toList());
      assertEquals(List.of("delivered 2", "delivered 1"), events.events());
    } finally {
      HttpsURLConnection.setDefaultSSLSocketFactory(before);
      server.stop(0);
    }
  }

  private HttpSink sink(String url, Ticker ticker) {
    return new HttpSink(HttpEndpoint.of(URI.create(url)), Metadata.NONE, RetryPolicy.forever(), ticker, events);
  }

  private static String message(String line) {
    try {
      return (String) StdoutSinkTest.parse(line).get("message");
    } catch (IOException e) {
      throw new AssertionError(line, e);
    }
  }

  /** Keeps the last request's raw body and two headers, for what RecordingHttpServer turns into text. */
  private static final class RawServer implements AutoCloseable {
    private final HttpServer server;
    volatile byte[] body;
    volatile String encoding;
    volatile String authorization;

    RawServer() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.createContext("/", x -> {
        body = x.getRequestBody().readAllBytes();
        encoding = x.getRequestHeaders().getFirst("Content-Encoding");
        authorization = x.getRequestHeaders().getFirst("Authorization");
        x.sendResponseHeaders(200, -1);
        x.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
