package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.JavaProcess;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.TcpServer;
import dev.podkit.testfixtures.TestCertificateAuthority;
import dev.podkit.testfixtures.TestCertificateAuthority.Issued;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS in the real process: bad certificate files stop it with exit 2 and every problem listed;
 * floods of garbage and abandoned handshakes leave it serving; the provider and the certificate
 * expiry are visible in its log and metrics.
 */
class TlsProcessIT {
  private static final String MAIN = TcpAmbassadorMain.class.getName();
  private static final Duration EXIT = Duration.ofSeconds(30);
  @TempDir static Path dir;
  static TestCertificateAuthority ca;
  static Issued server;
  static Issued client;

  @BeforeAll
  static void certificates() {
    ca = TestCertificateAuthority.create(dir, "process");
    server = ca.issue("upstream", "DNS:localhost,DNS:upstream.podkit.test,IP:127.0.0.1");
    client = ca.issue("client-a");
  }

  private static String get(int port, String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double metric(String metrics, String nameAndLabels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), nameAndLabels + " in\n" + metrics);
    return Double.parseDouble(m.group(1));
  }

  private static void awaitListening(JavaProcess p) {
    Await.until(Duration.ofSeconds(20), "listening; stdout: " + p.stdout() + " stderr: " + p.stderr(),
        () -> p.stdout().contains("\"message\":\"listening\""));
  }

  @Test
  void badTlsFiles_exit2_everyProblemOfEveryRouteListed() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.crt"), "this is not a certificate\n");
    Path pkcs1 = Files.writeString(dir.resolve("rsa.key"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n");
    Path routes = Files.writeString(dir.resolve("routes.yaml"), """
        routes:
          - listen: "127.0.0.1:%d"
            upstream: db.example.com:5432
            tls: {cert: %s, key: %s, ca-file: %s}
          - listen: "127.0.0.1:%d"
            upstream: 127.0.0.1:6379
            listen-tls: {cert: %s, key: %s, client-ca: %s}
        """.formatted(Ports.free(), garbage, pkcs1, dir.resolve("missing-ca.pem"), Ports.free(),
        server.certificatePem(), client.keyPem(), garbage));
    try (JavaProcess p = JavaProcess.start(MAIN, Map.of(), "--config", routes.toString())) {
      assertEquals(2, p.awaitExit(EXIT));
      String err = p.stderr();
      for (String problem : new String[] {
          "TLS CA file " + dir.resolve("missing-ca.pem") + ": no such file",
          "TLS certificate " + garbage + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it",
          "TLS key " + pkcs1 + ": the key is RSA PRIVATE KEY; want PKCS#8 (BEGIN PRIVATE KEY)",
          "listener TLS key " + client.keyPem() + ": this key does not belong to the certificate in "
              + server.certificatePem(),
          "listener TLS client CA file " + garbage + ": no PEM certificate"}) {
        assertTrue(err.contains(problem), problem + " in:\n" + err);
      }
      assertEquals(5, err.lines().filter(l -> l.startsWith("tcp-ambassador: error: ")).count(), err);
      assertTrue(err.endsWith("Run 'tcp-ambassador --help' for usage.\n"), err);
      assertEquals("", p.stdout());
    }
  }

  @Test
  void garbageAndAbandonedHandshakeFlood_processKeepsServing_noUpstreamConnectionsSpent() throws Exception {
    int port = Ports.free();
    int admin = Ports.free();
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         JavaProcess p = JavaProcess.start(MAIN, Map.of(), "--listen", "127.0.0.1:" + port, "--upstream",
             "127.0.0.1:" + upstream.port(), "--listen-tls-cert", server.certificatePem().toString(), "--listen-tls-key",
             server.keyPem().toString(), "--listen-tls-client-ca", ca.certificatePem().toString(),
             "--tls-handshake-timeout", "3s", "--admin-address", "127.0.0.1:" + admin)) {
      awaitListening(p);
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      List<Throwable> unexpected = new CopyOnWriteArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> done = new ArrayList<>();
      int rounds = 300;
      for (int i = 0; i < rounds; i++) {
        int kind = i % 3;
        long seed = i;
        done.add(pool.submit(() -> {
          try (Socket s = new Socket()) {
            s.connect(at, 5000);
            s.setSoTimeout(10_000);
            if (kind == 0) {
              byte[] junk = new byte[1 + new Random(seed).nextInt(4096)];
              new Random(seed).nextBytes(junk);
              s.getOutputStream().write(junk);
              s.getInputStream().read(new byte[4096]); // an alert or the close
            } else if (kind == 1) {
              s.getOutputStream().write(TlsPeers.PARTIAL_CLIENT_HELLO); // then close half way
            } else {
              TestCertificateAuthority.trusting(ca.certificatePem()).getSocketFactory().createSocket(s, "127.0.0.1",
                  port, false).close(); // a TLS client that never handshakes
            }
          } catch (IOException e) {
            // a reset or an alert: what such clients get
          } catch (RuntimeException e) {
            unexpected.add(e);
          }
          return null;
        }));
      }
      // Silent clients: connected, never a byte; the handshake timeout closes them.
      List<Socket> silent = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Socket s = new Socket();
        s.connect(at, 5000);
        s.setSoTimeout(10_000);
        silent.add(s);
      }
      for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
      pool.shutdown();
      assertEquals(List.of(), unexpected);
      for (Socket s : silent) {
        try (s) {
          assertEquals(-1, s.getInputStream().read(), "closed by the handshake timeout");
        } catch (IOException e) {
          assertTrue(String.valueOf(e.getMessage()).contains("reset"), e.toString());
        }
      }

      // Still serving: a proper client gets through, and nothing is left open.
      try (SSLSocket s = TlsPeers.connect(client.context(ca.certificatePem()), at)) {
        assertEquals("after the flood", TlsPeers.ping(s, "after the flood"));
      } catch (IOException e) {
        throw new AssertionError("a proper client after the flood: " + e + "\n" + p.stdout(), e);
      }
      assertEquals(1, upstream.accepted(), "failed handshakes cost no upstream connection");
      String route = "route=\"127.0.0.1:" + port + "\"";
      String metrics = Await.get(Duration.ofSeconds(10), "every connection finished", () -> get(admin, "/metrics"),
          m -> m.contains("podkit_tcp_ambassador_downstream_cx_active{image=\"tcp-ambassador\"," + route + "} 0.0"));
      double failed = metric(metrics,
          "podkit_tcp_ambassador_tls_fail_total{image=\"tcp-ambassador\"," + route + ",side=\"downstream\"}");
      assertTrue(failed >= rounds / 3.0, "garbage handshakes counted: " + failed);
      assertEquals(rounds + 5 + 1, metric(metrics,
          "podkit_tcp_ambassador_downstream_cx_total{image=\"tcp-ambassador\"," + route + "}"));
      assertEquals("200 ok\n", get(admin, "/readyz"));
      assertTrue(p.stdout().contains("\"message\":\"client TLS handshake failed\""), p.stdout());
      assertTrue(p.alive(), "the process is still up");
    }
  }

  /** The image's heap flags (its young generation, free ratios, shrinking), from the build. */
  private static List<String> imageHeapFlags() {
    String flags = System.getProperty("podkit.jvm.flags", "");
    List<String> heap = List.of(flags.trim().split("\\s+")).stream()
        .filter(f -> f.startsWith("-Xms") || f.startsWith("-Xmx") || f.startsWith("-XX:MaxNewSize")
            || f.contains("ShrinkHeapInSteps") || f.contains("HeapFreeRatio") || f.startsWith("-XX:MaxRAM"))
        .toList();
    assertTrue(heap.contains("-XX:MaxNewSize=8m"), "the image's flags from the build: " + flags);
    return heap;
  }

  private static double number(String jsonLine, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":([0-9.]+)").matcher(jsonLine);
    assertTrue(m.find(), field + " in " + jsonLine);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void handshakesHeldUntilTheirTimeout_theHeapTheyTookIsGivenBack() throws Exception {
    int port = Ports.free();
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         JavaProcess p = JavaProcess.start(imageHeapFlags(), MAIN, Map.of(), "--listen", "127.0.0.1:" + port,
             "--upstream", "127.0.0.1:" + upstream.port(), "--listen-tls-cert", server.certificatePem().toString(),
             "--listen-tls-key", server.keyPem().toString(), "--tls-handshake-timeout", "4s", "--admin-address", "off")) {
      awaitListening(p);
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      // 5,000 clients that start a handshake and hold it (no FIN): each is kept until the timeout,
      // long enough for its objects to reach the old generation.
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 5000; i++) {
          Socket s = new Socket();
          held.add(s);
          s.connect(at, 5000);
          s.getOutputStream().write(TlsPeers.PARTIAL_CLIENT_HELLO);
        }
        for (Socket s : held) {
          s.setSoTimeout(30_000);
          try {
            assertEquals(-1, s.getInputStream().read(), "closed by the handshake timeout");
          } catch (SocketException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("reset"), e.toString());
          }
        }
      } finally {
        for (Socket s : held) s.close();
      }
      // Without a full collection the old generation would keep its size (Serial GC grows it
      // instead); the ambassador asks for one once the burst is garbage (at most ~40 s on: a
      // collection while the clients were still held finds them live, and the next look is 30 s
      // after it). The 5,000 took ~20 MB of old generation.
      Await.get(Duration.ofSeconds(60), "a full collection that freed the burst's garbage and shrank the heap",
          () -> p.stdout().lines().filter(l -> l.contains("\"message\":\"heap collected\""))
              .filter(l -> number(l, "old_used_mb_before") - number(l, "old_used_mb_after") >= 8
                  && number(l, "heap_committed_mb_after") < number(l, "heap_committed_mb_before"))
              .findFirst().orElse(""),
          l -> !l.isEmpty(), p::stdout);
      assertTrue(p.alive());
    }
  }

  @Test
  void boringSslUnavailable_autoFallsBackToTheJdkEngine_mutualTlsStillWorks() throws Exception {
    int port = Ports.free();
    List<String> seen = new CopyOnWriteArrayList<>();
    // Netty's switch that makes netty-tcnative unavailable, as on a platform without its library.
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         JavaProcess p = mutualTlsRoute(port, upstream, Map.of("JDK_JAVA_OPTIONS", "-Dio.netty.handler.ssl.noOpenSsl=true"),
             "off")) {
      awaitListening(p);
      assertTrue(p.stdout().contains("\"tls_provider\":\"jdk\""), p.stdout());
      assertEquals("through", pingThrough(port));
      assertEquals(List.of("sni=upstream.podkit.test cn=client-a"), seen);
    }
  }

  @Test
  void mutualTlsRoute_providerLogged_certificateExpiryExported() throws Exception {
    int port = Ports.free();
    int admin = Ports.free();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         JavaProcess p = mutualTlsRoute(port, upstream, Map.of(), "127.0.0.1:" + admin)) {
      awaitListening(p);
      assertTrue(p.stdout().contains("\"tls_provider\":\"boringssl\""), p.stdout());
      assertEquals("through", pingThrough(port));
      assertEquals(List.of("sni=upstream.podkit.test cn=client-a"), seen);
      String metrics = get(admin, "/metrics");
      String labels = "{image=\"tcp-ambassador\",role=\"%s\",route=\"127.0.0.1:" + port + "\"}";
      assertEquals(client.certificate().getNotAfter().toInstant().getEpochSecond(),
          metric(metrics, "podkit_tcp_ambassador_tls_cert_not_after_seconds" + labels.formatted("upstream_client")));
      assertEquals(TestCertificateAuthority.readCertificates(ca.certificatePem()).getFirst().getNotAfter().toInstant()
          .getEpochSecond(), metric(metrics, "podkit_tcp_ambassador_tls_cert_not_after_seconds" + labels.formatted("upstream_ca")));
    }
  }

  /** The docs' socat line for a mutual-TLS ambassador on {@code port} to {@code upstream}, as a process. */
  private static JavaProcess mutualTlsRoute(int port, TcpServer upstream, Map<String, String> env, String admin) {
    return JavaProcess.start(MAIN, env, "TCP-LISTEN:" + port + ",fork,reuseaddr,bind=127.0.0.1",
        "OPENSSL:127.0.0.1:" + upstream.port() + ",cafile=" + ca.certificatePem() + ",cert=" + client.certificatePem()
            + ",key=" + client.keyPem() + ",commonname=upstream.podkit.test",
        "--admin-address", admin);
  }

  /** A line sent through the plain listener on {@code port} and its echo. */
  private static String pingThrough(int port) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      return TlsPeers.ping(s, "through");
    }
  }
}
