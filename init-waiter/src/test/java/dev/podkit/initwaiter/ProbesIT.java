package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.TlsContexts;
import dev.podkit.testfixtures.HttpTestServer;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each probe against real servers, sockets and files on loopback. */
class ProbesIT {
  private static final Duration T = Duration.ofSeconds(2);
  @TempDir Path dir;

  private static HttpExpectations expect(String status, String body, String regex, List<String> headers,
      Path ca, boolean insecure) {
    return new HttpExpectations(StatusRange.parse(status), body, regex == null ? null : Pattern.compile(regex),
        headers.stream().map(HttpExpectations.HeaderMatch::parse).toList(), ca, insecure);
  }

  private static HttpProbe http(String url, HttpExpectations e) {
    URI uri = URI.create(url);
    return new HttpProbe(uri, e, uri.getScheme().equals("https") ? TlsContexts.socketFactory(e.caFile(), e.insecure()) : null);
  }

  @Test
  void tcp_closedThenListening_refusedThenReady() throws Exception {
    int port = Ports.free();
    TcpProbe probe = new TcpProbe("127.0.0.1", port);
    assertEquals(ProbeResult.notReady("connection refused"), probe.check(T));
    try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertEquals(ProbeResult.ready("connected to 127.0.0.1:" + port), probe.check(T));
    }
  }

  @Test
  void tcp_unresolvableName_isNotReadyWithDnsReason() throws Exception {
    ProbeResult r = new TcpProbe("no-such-host.invalid", 80).check(T);
    assertFalse(r.ready());
    assertEquals("dns: cannot resolve no-such-host.invalid", r.reason());
  }

  @Test
  void http_503Then200_followsTheServer() {
    try (HttpTestServer server = HttpTestServer.http(0).status(503)) {
      HttpProbe p = http("http://127.0.0.1:" + server.port() + "/healthz", expect("200-299", null, null, List.of(), null, false));
      assertEquals(ProbeResult.notReady("status 503, want 200-299"), p.check(T));
      server.status(200);
      assertEquals(ProbeResult.ready("status 200"), p.check(T));
      assertEquals(2, server.requests());
    }
  }

  @Test
  void http_bodyAndHeaderExpectations_mustAllMatch() {
    try (HttpTestServer server = HttpTestServer.http(0).body("{\"status\":\"starting\"}").header("X-State: warming")) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      assertEquals("status 200, body lacks '\"UP\"'",
          http(url, expect("200", "\"UP\"", null, List.of(), null, false)).check(T).reason());
      assertEquals("status 200, body does not match /stat.s\":\"up/",
          http(url, expect("200", null, "stat.s\":\"up", List.of(), null, false)).check(T).reason());
      assertEquals("status 200, header X-State is 'warming', want ^ready$",
          http(url, expect("200", null, null, List.of("X-State=^ready$"), null, false)).check(T).reason());
      assertEquals("status 200, header X-Other missing, want .",
          http(url, expect("200", null, null, List.of("X-Other=."), null, false)).check(T).reason());
      server.body("{\"status\":\"UP\"}").header("X-State: ready");
      assertTrue(http(url, expect("200", "\"UP\"", "(?i)stat.s\":\"up", List.of("x-state=^ready$"), null, false)).check(T).ready());
    }
  }

  @Test
  void http_statusOutsideTheRange_includingRedirects_isNotReady() {
    try (HttpTestServer server = HttpTestServer.http(0).status(302).header("Location: /elsewhere")) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      assertEquals("status 302, want 200-299", http(url, expect("200-299", null, null, List.of(), null, false)).check(T).reason());
      assertTrue(http(url, expect("3xx", null, null, List.of(), null, false)).check(T).ready());
    }
  }

  @Test
  void https_verification_onByDefault_caFileTrusts_insecureSkips() {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "localhost");
    try (HttpTestServer server = HttpTestServer.https(cert.serverContext())) {
      String url = "https://localhost:" + server.port() + "/";
      ProbeResult untrusted = http(url, expect("200", null, null, List.of(), null, false)).check(T);
      assertFalse(untrusted.ready());
      assertTrue(untrusted.reason().startsWith("tls: "), untrusted.reason());
      assertEquals(ProbeResult.ready("status 200"),
          http(url, expect("200", null, null, List.of(), cert.certificatePem(), false)).check(T));
      assertEquals(ProbeResult.ready("status 200"),
          http(url, expect("200", null, null, List.of(), null, true)).check(T));
    }
  }

  @Test
  void https_hostNameMismatch_isNotReady() {
    // Trusted, but issued to localhost only: reached as 127.0.0.1 it must be refused.
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "only-name", "dns:localhost");
    try (HttpTestServer server = HttpTestServer.https(cert.serverContext())) {
      HttpExpectations e = expect("200", null, null, List.of(), cert.certificatePem(), false);
      ProbeResult r = http("https://127.0.0.1:" + server.port() + "/", e).check(T);
      assertFalse(r.ready());
      assertTrue(r.reason().startsWith("tls: "), r.reason());
      assertTrue(http("https://localhost:" + server.port() + "/", e).check(T).ready());
    }
  }

  @Test
  void dns_localhost_resolves_andMinimumCounts() {
    assertTrue(new DnsProbe("localhost", 1).check(T).ready());
    ProbeResult tooFew = new DnsProbe("localhost", 50).check(T);
    assertFalse(tooFew.ready());
    assertTrue(tooFew.reason().endsWith("want 50"), tooFew.reason());
    assertEquals(ProbeResult.notReady("dns: cannot resolve no-such-host.invalid"),
        new DnsProbe("no-such-host.invalid", 1).check(T));
  }

  @Test
  void file_missingEmptyThenFull() throws IOException {
    Path f = dir.resolve("ready");
    assertEquals(ProbeResult.notReady("no such file " + f), new FileProbe(f, false).check(T));
    Files.createFile(f);
    assertTrue(new FileProbe(f, false).check(T).ready());
    assertEquals(ProbeResult.notReady("empty"), new FileProbe(f, true).check(T));
    Files.writeString(f, "x");
    assertTrue(new FileProbe(f, true).check(T).ready());
    Path d = Files.createDirectory(dir.resolve("d"));
    assertEquals(ProbeResult.notReady("empty"), new FileProbe(d, true).check(T));
  }
}
