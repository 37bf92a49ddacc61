package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.podkit.runtime.Ticker;
import dev.podkit.runtime.TlsContexts;
import dev.podkit.testfixtures.SelfSignedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https origins, S3 endpoints and webhooks verified against {@code --ca-file} (a self-signed
 * certificate made by keytool, real TLS servers on loopback), and redirects: followed a bounded
 * number of times, credentials kept to the configured origin.
 */
class TlsAndRedirectsIT {
  private static final Limits LIMITS = new Limits(1 << 20, 1000);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final List<HttpServer> servers = new ArrayList<>();
  /** "METHOD path authorization=... x-api-key=..." of every request, in order, by server port. */
  private final List<String> requests = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void httpsOrigin_trustedThroughTheCaFile_published_untrustedWithoutIt() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "localhost");
    HttpServer origin = https(cert, x -> answer(x, 200, "<h1>over tls</h1>", Map.of()));
    URI uri = URI.create("https://localhost:" + port(origin) + "/index.html");

    Syncer.Outcome untrusted = syncer(uri, null, dir.resolve("a")).sync(new Cancellation());
    Syncer.Outcome trusted = syncer(uri, tls(cert), dir.resolve("b")).sync(new Cancellation());

    assertEquals(Syncer.Result.FAILED, untrusted.result(), "the runtime's roots do not know a self-signed certificate");
    assertEquals(SyncFailure.Reason.FETCH, untrusted.reason(), untrusted.message());
    assertEquals(Syncer.Result.PUBLISHED, trusted.result(), String.valueOf(trusted.message()));
    assertEquals("<h1>over tls</h1>", Files.readString(dir.resolve("b/index.html")));
  }

  @Test
  void redirectToAnotherOrigin_followed_tokenAndExtraHeadersNotForwarded() throws Exception {
    HttpServer other = http(x -> answer(x, 200, "moved content", Map.of()));
    HttpServer origin = http(x -> answer(x, 302, "", Map.of("Location",
        "http://localhost:" + port(other) + "/elsewhere/config.json")));
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
    HttpSource source = new HttpSource(URI.create("http://127.0.0.1:" + port(origin) + "/config.json"), Unpacker.Format.AUTO,
        "config.json", null, List.of(new HttpSource.Header("X-Api-Key", "k3y")), token, new Connector(null, TIMEOUT), null);
    Path target = dir.resolve("t");

    Syncer.Outcome o = syncer(source, target).sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, o.result(), String.valueOf(o.message()));
    assertEquals("moved content", Files.readString(target.resolve("config.json")));
    assertEquals(List.of(
        port(origin) + " GET /config.json authorization=Bearer s3cret x-api-key=k3y",
        port(other) + " GET /elsewhere/config.json authorization=null x-api-key=null"), requests());
  }

  @Test
  void redirectWithinTheOrigin_keepsTheToken() throws Exception {
    HttpServer[] self = new HttpServer[1];
    self[0] = http(x -> x.getRequestURI().getPath().equals("/new")
        ? answer(x, 200, "here", Map.of())
        : answer(x, 301, "", Map.of("Location", "/new")));
    Path token = Files.writeString(dir.resolve("token"), "t0ken");
    HttpSource source = new HttpSource(URI.create("http://127.0.0.1:" + port(self[0]) + "/old"), Unpacker.Format.AUTO,
        "f.txt", null, List.of(), token, new Connector(null, TIMEOUT), null);

    Syncer.Outcome o = syncer(source, dir.resolve("t")).sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, o.result(), String.valueOf(o.message()));
    assertEquals(List.of(port(self[0]) + " GET /old authorization=Bearer t0ken x-api-key=null",
        port(self[0]) + " GET /new authorization=Bearer t0ken x-api-key=null"), requests());
  }

  @Test
  void redirectLoop_stopsAfterTheLimit_withAReason() throws Exception {
    HttpServer loop = http(x -> answer(x, 307, "", Map.of("Location", "/again")));
    Syncer.Outcome o = syncer(URI.create("http://127.0.0.1:" + port(loop) + "/start"), null, dir.resolve("t"))
        .sync(new Cancellation());

    assertEquals(Syncer.Result.FAILED, o.result());
    assertEquals(SyncFailure.Reason.STATUS, o.reason());
    assertTrue(o.message().contains("more than " + Connector.MAX_REDIRECTS + " redirects"), o.message());
    assertEquals(Connector.MAX_REDIRECTS + 1, requests().size(), "the first request and five redirects, no more");
    assertTrue(!Files.exists(dir.resolve("t/..data")), "nothing published");
  }

  @Test
  void redirectFromHttpsToPlainHttp_refused() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "localhost");
    HttpServer plain = http(x -> answer(x, 200, "downgraded", Map.of()));
    HttpServer origin = https(cert, x -> answer(x, 302, "", Map.of("Location", "http://127.0.0.1:" + port(plain) + "/x")));
    Syncer.Outcome o = syncer(URI.create("https://localhost:" + port(origin) + "/x"), tls(cert), dir.resolve("t"))
        .sync(new Cancellation());

    assertEquals(Syncer.Result.FAILED, o.result());
    assertTrue(o.message().contains("from https to plain http refused"), o.message());
    assertEquals(1, requests().size(), "the plain http server is never asked");
  }

  @Test
  void s3ObjectOverHttps_caFileTrusted_signedAtTheEndpoint_notAfterARedirectElsewhere() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "localhost");
    HttpServer mirror = https(cert, x -> answer(x, 200, "{\"from\":\"mirror\"}", Map.of()));
    HttpServer endpoint = https(cert, x -> answer(x, 307, "", Map.of("Location",
        "https://localhost:" + port(mirror) + "/mirror/app.json")));
    S3Source source = new S3Source(new S3Source.Location(URI.create("https://localhost:" + port(endpoint)), true,
        "us-east-1", "cfg", "app.json"), new S3Source.Keys(null, null, Map.of("AWS_ACCESS_KEY_ID", "AKID",
        "AWS_SECRET_ACCESS_KEY", "SECRET")), Unpacker.Format.AUTO, "app.json", null, new Connector(tls(cert), TIMEOUT));
    Path target = dir.resolve("t");

    Syncer.Outcome o = syncer(source, target).sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, o.result(), String.valueOf(o.message()));
    assertEquals("{\"from\":\"mirror\"}", Files.readString(target.resolve("app.json")));
    List<String> seen = requests();
    assertTrue(seen.getFirst().startsWith(port(endpoint) + " GET /cfg/app.json authorization=AWS4-HMAC-SHA256 Credential=AKID/"),
        seen.toString());
    assertEquals(port(mirror) + " GET /mirror/app.json authorization=null x-api-key=null", seen.get(1));
  }

  @Test
  void webhookOverHttps_caFileTrusted_calledWithTheVersion() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "localhost");
    HttpServer app = https(cert, x -> answer(x, 200, "reloaded", Map.of()));
    URI url = URI.create("https://localhost:" + port(app) + "/-/reload");

    new WebhookNotifier(url, "POST", new Connector(tls(cert), TIMEOUT)).notify("sha256:abc");
    IOException untrusted = assertThrows(IOException.class,
        () -> new WebhookNotifier(url, "POST", new Connector(null, TIMEOUT)).notify("sha256:abc"));

    assertEquals(List.of(port(app) + " POST /-/reload authorization=null x-api-key=null"), requests());
    assertTrue(untrusted instanceof javax.net.ssl.SSLException, untrusted.toString());
  }

  @Test
  void caFile_withoutACertificate_isAUsageProblem() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    List<String> problems = new ArrayList<>();
    var options = SyncerConfig.options("test");
    assertNull(SyncerConfig.from(options.parse(new String[] {"--source", "https://localhost/x", "--target",
        dir.resolve("t").toString(), "--ca-file", notPem.toString()}, Map.of()), problems, Map.of()));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("--ca-file: ")), problems.toString());
  }

  // ---------------------------------------------------------------- helpers

  private Syncer syncer(URI uri, SSLSocketFactory tls, Path target) throws IOException {
    return syncer(new HttpSource(uri, Unpacker.Format.AUTO, HttpSource.defaultFileName(uri), null, List.of(), null,
        new Connector(tls, TIMEOUT), null), target);
  }

  private static Syncer syncer(Source source, Path target) throws IOException {
    return new Syncer(source, new Publisher(target), target, LIMITS, new SyntaxCheck(Set.of()), new RecordingSyncEvents(),
        Ticker.system());
  }

  private static SSLSocketFactory tls(SelfSignedCertificate cert) {
    return TlsContexts.socketFactory(cert.certificatePem(), false);
  }

  private HttpServer http(Function<HttpExchange, Boolean> handler) throws IOException {
    return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16), handler);
  }

  private HttpServer https(SelfSignedCertificate cert, Function<HttpExchange, Boolean> handler) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    s.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
    return start(s, handler);
  }

  private HttpServer start(HttpServer s, Function<HttpExchange, Boolean> handler) {
    s.createContext("/", x -> {
      try (x) {
        x.getRequestBody().readAllBytes();
        synchronized (requests) {
          requests.add(x.getLocalAddress().getPort() + " " + x.getRequestMethod() + " " + x.getRequestURI().getPath()
              + " authorization=" + x.getRequestHeaders().getFirst("Authorization")
              + " x-api-key=" + x.getRequestHeaders().getFirst("X-Api-Key"));
        }
        handler.apply(x);
      }
    });
    s.start();
    servers.add(s);
    return s;
  }

  private List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private static int port(HttpServer s) {
    return s.getAddress().getPort();
  }

  private static boolean answer(HttpExchange x, int status, String body, Map<String, String> headers) {
    try {
      headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    } catch (IOException e) {
      // The client went away: nothing to answer.
    }
    return true;
  }
}
