package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.TcpServer;
import dev.podkit.testfixtures.TestCertificateAuthority;
import dev.podkit.testfixtures.TestCertificateAuthority.Issued;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCounted;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates replaced on disk while connections carry traffic: open connections keep working
 * on their old session, new ones get the new certificate, and a half-replaced pair (the key of
 * one, the certificate of the other) is refused and leaves the old one in use.
 */
class TlsReloadIT {
  @TempDir static Path dir;
  static TestCertificateAuthority ca;
  static Issued server;
  static Issued clientA;
  static Issued clientB;
  static Issued serverB;

  @BeforeAll
  static void certificates() {
    ca = TestCertificateAuthority.create(dir, "reload");
    server = ca.issue("upstream", "DNS:localhost,DNS:upstream.podkit.test,IP:127.0.0.1");
    serverB = ca.issue("upstream-b", "DNS:localhost,DNS:upstream.podkit.test,IP:127.0.0.1");
    clientA = ca.issue("client-a");
    clientB = ca.issue("client-b");
  }

  /** Replaces {@code target} with {@code source}'s bytes in one rename, as a Secret volume update does. */
  private static void replace(Path source, Path target) throws Exception {
    Path tmp = target.resolveSibling(target.getFileName() + ".new");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** How many hold {@code c}, a BoringSSL context (reference-counted: its native memory is freed at 0). */
  private static int references(SslContext c) {
    assertTrue(c instanceof ReferenceCounted, "BoringSSL's reference-counted context: " + c.getClass());
    return ((ReferenceCounted) c).refCnt();
  }

  private static void awaitReferences(SslContext c, int n, String what) {
    Await.get(Duration.ofSeconds(10), what + " (references)", () -> references(c), r -> r == n);
  }

  /** Clients that ping through their connections until stopped (at most 60 s), counting round trips and errors. */
  private static final class Load implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final List<AtomicInteger> trips = new ArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    Load(List<? extends Socket> sockets) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (Socket s : sockets) {
        AtomicInteger n = new AtomicInteger();
        trips.add(n);
        threads.add(Thread.ofVirtual().start(() -> {
          try (s) {
            while (!stop.get() && System.nanoTime() < deadline) {
              String line = "ping " + n.get();
              if (!line.equals(TlsPeers.ping(s, line))) throw new AssertionError("wrong echo");
              n.incrementAndGet();
            }
          } catch (Throwable t) {
            errors.add(t);
          }
        }));
      }
    }

    /** Waits until every connection made {@code more} round trips beyond {@code from}. */
    void awaitEach(int more, int[] from) {
      Await.until(Duration.ofSeconds(20), "round trips on every connection; errors " + errors, () -> {
        for (int i = 0; i < trips.size(); i++) {
          if (trips.get(i).get() < from[i] + more) return false;
        }
        return true;
      });
    }

    int[] counts() {
      return trips.stream().mapToInt(AtomicInteger::get).toArray();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) t.join(10_000);
    }
  }

  @Test
  void upstreamClientCertificate_replacedUnderLoad_openConnectionsKeepGoing_newOnesPresentTheNewOne() throws Exception {
    Path cert = dir.resolve("live-client.crt");
    Path key = dir.resolve("live-client.key");
    Files.copy(clientA.certificatePem(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(clientA.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
    List<String> seen = new CopyOnWriteArrayList<>();
    try (TcpServer upstream = TlsPeers.echo(server.context(ca.certificatePem()), true, seen);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(), "--upstream-ca-file",
             ca.certificatePem().toString(), "--upstream-server-name", "upstream.podkit.test", "--upstream-cert",
             cert.toString(), "--upstream-key", key.toString(), "--tls-reload-interval", "50ms")) {
      UpstreamTlsContext context = h.tls.upstream(h.config.routes().getFirst());
      assertEquals(clientA.certificate().getNotAfter().toInstant().getEpochSecond(),
          context.notAfterEpochSeconds(UpstreamTlsContext.CLIENT));
      SslContext first = context.withContext(c -> c);
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < 6; i++) sockets.add(h.connect());
      try (Load load = new Load(sockets)) {
        load.awaitEach(20, new int[6]);
        assertEquals(6, seen.size());
        assertTrue(seen.stream().allMatch(s -> s.endsWith("cn=client-a")), seen.toString());
        assertEquals(1 + 6, references(first), "the ambassador's own and one per open connection's engine");

        // (1) Only the key changes first: it does not belong to the certificate, refused.
        replace(clientB.keyPem(), key);
        h.events.awaitEvent("tls reload failed upstream");
        assertTrue(h.events.matching("tls reload failed").getFirst().contains("does not belong to the certificate"),
            h.events.matching("tls reload failed").toString());
        try (Socket s = h.connect()) {
          assertEquals("still a", TlsPeers.ping(s, "still a"));
        }
        assertTrue(seen.getLast().endsWith("cn=client-a"), seen.toString());
        awaitReferences(first, 1 + 6, "the closed connection's engine released");

        // (2) Then the certificate: the pair is whole again and loads.
        replace(clientB.certificatePem(), cert);
        h.events.awaitEvent("tls reloaded upstream");
        try (Socket s = h.connect()) {
          assertEquals("now b", TlsPeers.ping(s, "now b"));
        }
        assertTrue(seen.getLast().endsWith("cn=client-b"), seen.toString());
        assertEquals(clientB.certificate().getNotAfter().toInstant().getEpochSecond(),
            context.notAfterEpochSeconds(UpstreamTlsContext.CLIENT));
        SslContext second = context.withContext(c -> c);
        assertTrue(second != first, "a new context");
        assertEquals(6, references(first), "the replaced context is held only by the connections still open on it");

        // (3) The connections opened before go on, on their own sessions.
        load.awaitEach(20, load.counts());
        assertEquals(List.of(), load.errors);
      }
      assertEquals(8, upstream.accepted(), "no connection was re-made");
      awaitReferences(first, 0, "the replaced context freed once its last connection closed");
      awaitReferences(context.withContext(c -> c), 1, "the context in use held by the ambassador alone");
    }
  }

  @Test
  void listenerCertificate_replacedUnderLoad_openClientsKeepGoing_newClientsSeeTheNewOne() throws Exception {
    Path cert = dir.resolve("live-server.crt");
    Path key = dir.resolve("live-server.key");
    Files.copy(server.certificatePem(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(server.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
    var trust = TestCertificateAuthority.trusting(ca.certificatePem());
    try (TcpServer upstream = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(), "--listen-tls-cert", cert.toString(),
             "--listen-tls-key", key.toString(), "--tls-reload-interval", "50ms")) {
      ListenerTlsContext context = h.tls.listener(h.config.routes().getFirst());
      SslContext first = context.withContext(c -> c);
      List<SSLSocket> sockets = new ArrayList<>();
      for (int i = 0; i < 6; i++) sockets.add(TlsPeers.connect(trust, h.address()));
      try (Load load = new Load(sockets)) {
        load.awaitEach(20, new int[6]);
        assertEquals(1 + 6, references(first), "the ambassador's own and one per open connection's engine");
        replace(serverB.certificatePem(), cert);
        replace(serverB.keyPem(), key);
        Await.until(Duration.ofSeconds(10), "a new client sees upstream-b", () -> {
          try (SSLSocket s = TlsPeers.connect(trust, h.address())) {
            TlsPeers.ping(s, "probe");
            return TlsPeers.commonName((X509Certificate) s.getSession().getPeerCertificates()[0]).equals("upstream-b");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        awaitReferences(first, 6, "the replaced context held only by the clients still open on it");
        load.awaitEach(20, load.counts());
        assertEquals(List.of(), load.errors);
        for (SSLSocket s : sockets) {
          assertEquals("upstream", TlsPeers.commonName((X509Certificate) s.getSession().getPeerCertificates()[0]));
        }
      }
      awaitReferences(first, 0, "the replaced context freed once its last client left");
      awaitReferences(context.withContext(c -> c), 1, "the context in use held by the ambassador alone");
    }
  }
}
