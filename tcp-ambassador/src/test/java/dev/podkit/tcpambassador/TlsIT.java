package dev.podkit.tcpambassador;

import static dev.podkit.tcpambassador.TlsPeers.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.DnsServer;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.TcpServer;
import dev.podkit.testfixtures.TestCertificateAuthority;
import dev.podkit.testfixtures.TestCertificateAuthority.Issued;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS on loopback, both ways: origination (the app speaks plain TCP, the ambassador speaks TLS
 * to the upstream, verifying it and presenting a client certificate) and termination (clients
 * speak TLS to the ambassador's listener). The peers are the JDK's TLS on real sockets; the
 * certificates come from a test CA.
 */
class TlsIT {
  @TempDir static Path dir;
  static TestCertificateAuthority ca;
  static TestCertificateAuthority otherCa;
  static Issued server;
  static Issued client;
  static Issued stranger;

  @BeforeAll
  static void certificates() {
    ca = TestCertificateAuthority.create(dir, "test");
    otherCa = TestCertificateAuthority.create(dir, "other");
    server = ca.issue("upstream", "DNS:localhost,DNS:upstream.podkit.test,IP:127.0.0.1");
    client = ca.issue("client-a");
    stranger = otherCa.issue("stranger");
  }

  private static String upstreamTls(TcpServer upstream) {
    return "127.0.0.1:" + upstream.port();
  }

  /**
   * Connects through {@code h}, sends {@code bytes} and expects the connection closed with no
   * data: end of stream, or a reset. The reset can come before connect() returns: the ambassador
   * may have failed its upstream and reset the client while the client's thread waited to run.
   */
  private static void assertClosedWithoutData(Harness h, String bytes) {
    try (Socket s = new Socket()) {
      s.connect(h.address(), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
      assertEquals(-1, s.getInputStream().read());
    } catch (SocketException e) {
      assertTrue(e.getMessage().contains("reset"), e.getMessage());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "jdk"})
  void origination_caFileAndServerName_verifiedWithSni_bytesEchoed(String provider) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(null), false, seen);
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test", "--tls-provider", provider);
         Socket s = h.connect()) {
      assertEquals("hello over tls", TlsPeers.ping(s, "hello over tls"));
      assertEquals("twice", TlsPeers.ping(s, "twice"));
      assertEquals(List.of("sni=upstream.podkit.test cn=-"), seen);
      assertEquals(provider.equals("jdk") ? SslProvider.JDK : SslProvider.OPENSSL_REFCNT, h.config.tlsProvider());
    }
  }

  @Test
  void origination_upstreamName_isTheSniAndTheNameChecked_byDefault() throws Exception {
    // The certificate names only the DNS name, not the address it resolves to: the check must
    // use the name from --upstream, as the SNI does.
    Issued named = ca.issue("db-only", "DNS:db.podkit.test");
    List<String> seen = new CopyOnWriteArrayList<>();
    try (DnsServer dns = DnsServer.start();
         TcpServer upstream = TlsPeers.echo(named.context(null), false, seen)) {
      dns.answer("db.podkit.test", 30, "127.0.0.1");
      dns.answer("other.podkit.test", 30, "127.0.0.1");
      String dnsServer = "127.0.0.1:" + dns.address().getPort();
      try (Harness h = Harness.start("--upstream", "db.podkit.test:" + upstream.port(), "--dns-server", dnsServer,
               "--upstream-ca-file", ca.certificatePem().toString());
           Socket s = h.connect()) {
        assertEquals("by name", TlsPeers.ping(s, "by name"));
        assertEquals(List.of("sni=db.podkit.test cn=-"), seen);
      }
      try (Harness h = Harness.start("--upstream", "other.podkit.test:" + upstream.port(), "--dns-server", dnsServer,
               "--upstream-ca-file", ca.certificatePem().toString())) {
        assertClosedWithoutData(h, "x");
        assertEquals(End.UPSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
      }
    }
  }

  @Test
  void origination_jdkEngine_replyAfterTheClientsFin_reachesTheClient() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(null), false, seen);
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test", "--tls-provider", "jdk");
         Socket s = h.connect()) {
      assertEquals("fin then reply", roundTrip(s, "fin then reply"));
      assertEquals(End.CLOSED, h.events.awaitClosed(1).end());
    }
  }

  @Test
  void provider_auto_isBoringSslOnLinuxX8664() {
    // The build ships netty-tcnative-boringssl-static for linux-x86_64: it must load here, or
    // every TLS route would silently run on the slower JDK engine.
    assertTrue(OpenSsl.isAvailable(), "BoringSSL does not load: " + OpenSsl.unavailabilityCause());
    assertEquals(SslProvider.OPENSSL_REFCNT, TlsEngine.AUTO.resolve(new java.util.ArrayList<>()));
    assertEquals("boringssl", TlsEngine.label(SslProvider.OPENSSL_REFCNT));
  }

  @Test
  void origination_untrustedServer_clientClosed_failureCountedOnce() throws Exception {
    try (TcpServer upstream = TlsPeers.echo(stranger.context(null), false, new CopyOnWriteArrayList<>());
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test")) {
      assertClosedWithoutData(h, "secret");
      assertEquals(End.UPSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
      List<String> failed = h.events.matching("tls failed upstream");
      assertEquals(1, failed.size(), h.events.events.toString());
      assertTrue(failed.getFirst().contains("unable to find valid certification path"), failed.getFirst());
    }
  }

  @Test
  void origination_nameNotInCertificate_failsByDefault() throws Exception {
    try (TcpServer upstream = TlsPeers.echo(server.context(null), false, new CopyOnWriteArrayList<>());
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "db.example.com")) {
      assertClosedWithoutData(h, "x");
      assertEquals(End.UPSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
    }
  }

  @Test
  void origination_runtimeRootsByDefault_testCaNotTrusted() throws Exception {
    try (TcpServer upstream = TlsPeers.echo(server.context(null), false, new CopyOnWriteArrayList<>());
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-tls",
             "--upstream-server-name", "upstream.podkit.test")) {
      assertClosedWithoutData(h, "x");
      assertEquals(End.UPSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
    }
  }

  @Test
  void origination_mutualTls_upstreamSeesTheClientCertificate() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test", "--upstream-cert", client.certificatePem().toString(),
             "--upstream-key", client.keyPem().toString());
         Socket s = h.connect()) {
      assertEquals("mtls", TlsPeers.ping(s, "mtls"));
      assertEquals(List.of("sni=upstream.podkit.test cn=client-a"), seen);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "jdk"})
  void origination_withProxyProtocol_headerInClearBeforeTheHandshake(String provider) throws Exception {
    java.util.concurrent.CompletableFuture<String> header = new java.util.concurrent.CompletableFuture<>();
    SSLContext context = server.context(null);
    // Reads the PROXY line in clear, byte by byte, then speaks TLS on the same socket and echoes.
    try (TcpServer upstream = TcpServer.start(sock -> {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      java.io.InputStream in = sock.getInputStream();
      for (int c; (c = in.read()) >= 0 && line.size() < 108; ) {
        line.write(c);
        if (c == '\n') break;
      }
      header.complete(line.toString(StandardCharsets.ISO_8859_1));
      SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(sock, null, true);
      tls.setUseClientMode(false);
      tls.getInputStream().transferTo(tls.getOutputStream());
      tls.shutdownOutput();
    });
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test", "--tls-provider", provider, "--proxy-protocol", "v1");
         Socket s = h.connect()) {
      assertEquals("over tls", TlsPeers.ping(s, "over tls"));
      assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 " + s.getLocalPort() + " " + h.address().getPort() + "\r\n",
          header.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }
  }

  @Test
  void origination_upstreamWantsClientCertificate_noneGiven_clientClosed() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test")) {
      assertClosedWithoutData(h, "x");
      assertEquals(End.UPSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
      assertEquals(List.of(), seen);
    }
  }

  @Test
  void origination_socatOpensslAddress_mutualTlsWithCommonName() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    int port = Ports.free();
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         Harness h = Harness.startExactly("TCP-LISTEN:" + port + ",fork,reuseaddr,bind=127.0.0.1",
             "OPENSSL:127.0.0.1:" + upstream.port() + ",cafile=" + ca.certificatePem() + ",cert=" + client.certificatePem()
                 + ",key=" + client.keyPem() + ",commonname=upstream.podkit.test,verify=1", "--admin-address", "off");
         Socket s = h.connect()) {
      assertEquals("socat line", TlsPeers.ping(s, "socat line"));
      assertEquals(List.of("sni=upstream.podkit.test cn=client-a"), seen);
    }
  }

  @Test
  void origination_verifyOff_acceptsAnyServer() throws Exception {
    int port = Ports.free();
    try (TcpServer upstream = TlsPeers.echo(stranger.context(null), false, new CopyOnWriteArrayList<>());
         Harness h = Harness.startExactly("TCP-LISTEN:" + port + ",bind=127.0.0.1",
             "OPENSSL:127.0.0.1:" + upstream.port() + ",verify=0", "--admin-address", "off");
         Socket s = h.connect()) {
      assertEquals("unverified", TlsPeers.ping(s, "unverified"));
    }
  }

  @Test
  void termination_certificateAndKey_tlsClientReachesPlainUpstream() throws Exception {
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(),
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString())) {
      try (SSLSocket s = TlsPeers.connect(TestCertificateAuthority.trusting(ca.certificatePem()), h.address())) {
        assertEquals("terminated", TlsPeers.ping(s, "terminated"));
        assertEquals("again", TlsPeers.ping(s, "again"));
        assertEquals("upstream", TlsPeers.commonName((java.security.cert.X509Certificate) s.getSession()
            .getPeerCertificates()[0]));
      }
      ConnectionSummary c = h.events.awaitClosed(1);
      assertEquals(List.of(17L, 17L), List.of(c.downstreamRxBytes(), c.upstreamRxBytes()), "plain bytes each way");
    }
  }

  @Test
  void termination_boringSsl_replyAfterTheClientsCloseNotify_cannotBeSent_saidNotDropped() throws Exception {
    TcpServer.Handler replyAfterFin = s -> {
      s.getInputStream().readAllBytes();
      s.getOutputStream().write("late reply".getBytes());
      s.shutdownOutput();
    };
    try (TcpServer upstream = TcpServer.start(replyAfterFin);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(), "--tls-provider", "openssl",
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString());
         SSLSocket s = TlsPeers.connect(TestCertificateAuthority.trusting(ca.certificatePem()), h.address())) {
      assertEquals("", roundTrip(s, "question"), "the engine closed both ways on the client's close_notify");
      assertEquals(End.UNDELIVERABLE, h.events.awaitClosed(1).end());
    }
  }

  @Test
  void ambassadorToAmbassador_boringSsl_replyAfterTheClientsFin_reachesTheClient() throws Exception {
    // The pod pattern: app -> ambassador (TLS out, client certificate) -> ambassador (TLS in,
    // client certificate checked) -> server. The FIN crosses the TLS hop as a TCP FIN, so the
    // server's reply after it still comes back.
    TcpServer.Handler replyAfterFin = s -> {
      byte[] question = s.getInputStream().readAllBytes();
      s.getOutputStream().write(("answer to " + new String(question)).getBytes());
      s.shutdownOutput();
    };
    try (TcpServer upstream = TcpServer.start(replyAfterFin);
         Harness terminator = Harness.start("--upstream", "127.0.0.1:" + upstream.port(),
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString(),
             "--listen-tls-client-ca", ca.certificatePem().toString());
         Harness originator = Harness.start("--upstream", "127.0.0.1:" + terminator.address().getPort(),
             "--upstream-ca-file", ca.certificatePem().toString(), "--upstream-server-name", "upstream.podkit.test",
             "--upstream-cert", client.certificatePem().toString(), "--upstream-key", client.keyPem().toString());
         Socket s = originator.connect()) {
      assertEquals(SslProvider.OPENSSL_REFCNT, terminator.config.tlsProvider());
      assertEquals("answer to question", roundTrip(s, "question"));
      assertEquals(End.CLOSED, originator.events.awaitClosed(1).end());
      assertEquals(End.CLOSED, terminator.events.awaitClosed(1).end());
    }
  }

  @Test
  void termination_jdkEngine_replyAfterTheClientsCloseNotify_reachesTheClient() throws Exception {
    // TLS 1.3 closes one direction at a time; the JDK's engine keeps the other open. (BoringSSL
    // through Netty answers a close_notify with its own and ends both: see the README.)
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(), "--tls-provider", "jdk",
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString());
         SSLSocket s = TlsPeers.connect(TestCertificateAuthority.trusting(ca.certificatePem()), h.address())) {
      assertEquals("half closed", roundTrip(s, "half closed"));
      assertEquals(End.CLOSED, h.events.awaitClosed(1).end());
    }
  }

  @Test
  void termination_clientsFinBeforeTheHandshakeFinished_closedAtOnce_notAtTheHandshakeTimeout() throws Exception {
    // A client that gives up half way (a partial ClientHello, then its FIN) or a TCP probe
    // (connect, FIN): the handshake can no longer finish, so waiting out its timeout only holds
    // the connection's memory. The reads below would time out long before the 60 s timeout.
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(), "--tls-handshake-timeout", "60s",
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString())) {
      for (byte[] sent : List.of(TlsPeers.PARTIAL_CLIENT_HELLO, new byte[0])) {
        try (Socket s = new Socket()) {
          s.connect(h.address(), 5000);
          s.setSoTimeout(5_000);
          s.getOutputStream().write(sent);
          s.shutdownOutput();
          try {
            assertEquals(-1, s.getInputStream().read(), "nothing but the close");
          } catch (SocketException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("reset"), e.toString());
          }
        }
      }
      assertEquals(End.DOWNSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
      assertEquals(End.DOWNSTREAM_TLS_FAILED, h.events.awaitClosed(2).end());
      assertEquals(2, h.events.count("tls failed downstream"), h.events.events.toString());
      assertTrue(h.events.matching("tls failed downstream").getFirst()
          .endsWith("the client closed its side before the TLS handshake finished"), h.events.events.toString());
      try (SSLSocket s = TlsPeers.connect(TestCertificateAuthority.trusting(ca.certificatePem()), h.address())) {
        assertEquals("still served", TlsPeers.ping(s, "still served"));
      }
      assertEquals(1, upstream.accepted(), "no upstream connection for the clients that gave up");
    }
  }

  @Test
  void termination_clientCaRequired_clientWithoutCertificate_refusedBeforeAnyUpstreamConnection() throws Exception {
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(),
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString(),
             "--listen-tls-client-ca", ca.certificatePem().toString())) {
      try (SSLSocket s = TlsPeers.connect(TestCertificateAuthority.trusting(ca.certificatePem()), h.address())) {
        // TLS 1.3: the client's handshake is done before the proxy checked its certificate, so
        // the refusal shows on the read, or on this write when the proxy's close came first.
        assertThrows(IOException.class, () -> {
          s.getOutputStream().write("no cert".getBytes());
          s.getOutputStream().flush();
          if (s.getInputStream().read() < 0) throw new SSLException("closed");
        });
      }
      assertEquals(End.DOWNSTREAM_TLS_FAILED, h.events.awaitClosed(1).end());
      assertEquals(1, h.events.matching("tls failed downstream").size(), h.events.events.toString());
      try (SSLSocket s = TlsPeers.connect(stranger.context(ca.certificatePem()), h.address())) {
        // TLS 1.3: the client's handshake is done before the proxy checked its certificate, so
        // the refusal shows on the read, or on this write when the proxy's close came first.
        assertThrows(IOException.class, () -> {
          s.getOutputStream().write("wrong ca".getBytes());
          s.getOutputStream().flush();
          if (s.getInputStream().read() < 0) throw new SSLException("closed");
        });
      }
      assertEquals(End.DOWNSTREAM_TLS_FAILED, h.events.awaitClosed(2).end());
      assertEquals(0, upstream.accepted(), "no upstream connection for a client that failed its handshake");
      try (SSLSocket s = TlsPeers.connect(client.context(ca.certificatePem()), h.address())) {
        assertEquals("with cert", TlsPeers.ping(s, "with cert"));
      }
      assertEquals(1, upstream.accepted());
    }
  }

  @Test
  void termination_socatOpensslListen_verifiesClientsAgainstCafile() throws Exception {
    int port = Ports.free();
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         Harness h = Harness.startExactly("OPENSSL-LISTEN:" + port + ",fork,reuseaddr,bind=127.0.0.1,cert="
             + server.certificatePem() + ",key=" + server.keyPem() + ",cafile=" + ca.certificatePem(),
             "TCP:127.0.0.1:" + upstream.port(), "--admin-address", "off");
         SSLSocket s = TlsPeers.connect(client.context(ca.certificatePem()), h.address())) {
      assertEquals("socat listen", TlsPeers.ping(s, "socat listen"));
      assertInstanceOf(ListenerTls.class, h.config.routes().getFirst().listenTls());
    }
  }

  @Test
  void bothWays_tlsClientToTlsUpstream_throughOneAmbassador() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         Harness h = Harness.start("--upstream", upstreamTls(upstream), "--upstream-ca-file", ca.certificatePem().toString(),
             "--upstream-server-name", "upstream.podkit.test", "--upstream-cert", client.certificatePem().toString(),
             "--upstream-key", client.keyPem().toString(),
             "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key", server.keyPem().toString());
         SSLSocket s = TlsPeers.connect(TestCertificateAuthority.trusting(ca.certificatePem()), h.address())) {
      byte[] big = new byte[300_000];
      new java.util.Random(7).nextBytes(big);
      var back = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return s.getInputStream().readNBytes(big.length);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      s.getOutputStream().write(big);
      s.getOutputStream().flush();
      assertTrue(java.util.Arrays.equals(big, back.get(20, java.util.concurrent.TimeUnit.SECONDS)), "every byte back, in order");
      assertEquals(List.of("sni=upstream.podkit.test cn=client-a"), seen);
    }
  }
}
