package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.DnsServer;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.TcpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reaching upstreams: retries, ejection, balancing, DNS that changes, connection limits. */
class UpstreamIT {
  /** Says its name on a line, then echoes. */
  private static TcpServer.Handler named(String name) {
    return s -> {
      s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
      s.getInputStream().transferTo(s.getOutputStream());
      s.shutdownOutput();
    };
  }

  private static String firstLine(Socket s) {
    try {
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The name of the upstream a new connection through {@code h} reaches. */
  private static String reached(Harness h) {
    try (Socket s = h.connect()) {
      return firstLine(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InetAddress loopback(int last) throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }

  @Test
  void upstreamRefusedThenRecovering_retriesReachIt() throws Exception {
    int port = Ports.free();
    try (Harness h = Harness.start("--upstream", "127.0.0.1:" + port, "--retries", "5", "--retry-backoff", "200ms");
         Socket s = h.connect()) {
      h.events.awaitEvent("connect failed 127.0.0.1:" + port);
      try (TcpServer echo = TcpServer.start(InetAddress.getLoopbackAddress(), port, TcpServer.echo())) {
        assertEquals("still here", TlsPeers.roundTrip(s, "still here"));
        ConnectionSummary c = h.events.awaitClosed(1);
        assertEquals(End.CLOSED, c.end());
        assertTrue(c.attempts() >= 2, "attempts " + c.attempts());
      }
    }
  }

  @Test
  void upstreamRefused_byDefault_threeRetriesWithGrowingBackoff_thenReset() throws Exception {
    int port = Ports.free();
    // The default retries (3); a backoff of 200 ms doubling: 200 + 400 + 800 ms between the 4 attempts.
    try (Harness h = Harness.start("--upstream", "127.0.0.1:" + port, "--retry-backoff", "200ms")) {
      long t0 = System.nanoTime();
      try (Socket s = h.connect()) {
        assertEquals(-1, s.getInputStream().read());
      } catch (SocketException e) {
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      ConnectionSummary c = h.events.awaitClosed(1);
      assertEquals(End.UPSTREAM_CONNECT_FAILED, c.end());
      assertEquals(4, c.attempts());
      assertEquals(List.of("gave up after 4"), h.events.matching("gave up"));
      assertTrue(ms >= 1400, "the client was reset after " + ms + " ms; the backoffs add up to 1,400");
    }
  }

  @Test
  void upstreamRefused_noRetries_clientIsResetAndCounted() throws Exception {
    int port = Ports.free();
    try (Harness h = Harness.start("--upstream", "127.0.0.1:" + port, "--retries", "0")) {
      // Reset at once: during the connect (loopback refuses the upstream at once, and the
      // listener runs on the relay loop), or at the first read.
      try (Socket s = new Socket()) {
        s.connect(h.address(), 5000);
        s.setSoTimeout(10_000);
        assertEquals(-1, s.getInputStream().read());
      } catch (SocketException e) {
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
      }
      ConnectionSummary c = h.events.awaitClosed(1);
      assertEquals(End.UPSTREAM_CONNECT_FAILED, c.end());
      assertEquals(1, c.attempts());
      assertEquals(List.of("gave up after 1"), h.events.matching("gave up"));
    }
  }

  @Test
  void oneEndpointDown_everyConnectionSucceeds_andTheDeadOneIsEjected() throws Exception {
    int dead = Ports.free();
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + dead + ",127.0.0.1:" + echo.port(),
             "--eject-after", "2")) {
      for (int i = 0; i < 10; i++) {
        try (Socket s = h.connect()) {
          assertEquals("n" + i, TlsPeers.roundTrip(s, "n" + i));
        }
      }
      assertEquals(List.of("ejected 127.0.0.1:" + dead), h.events.matching("ejected"));
      assertEquals(2, h.events.count("connect failed"), h.events.events.toString());
    }
  }

  @Test
  void connectTimeout_upstreamNeverAnswersSyn_countedAsTimeout() throws Exception {
    try (FullListener full = FullListener.open();
         Harness h = Harness.start("--upstream", "127.0.0.1:" + full.port(), "--connect-timeout", "300ms",
             "--retries", "1", "--retry-backoff", "10ms");
         Socket s = h.connect()) {
      ConnectionSummary c = h.events.awaitClosed(1);
      assertEquals(End.UPSTREAM_CONNECT_FAILED, c.end());
      assertEquals(2, h.events.count("connect failed 127.0.0.1:" + full.port() + " timeout"),
          h.events.events.toString());
    }
  }

  @Test
  void leastConn_newConnectionsGoToTheIdleEndpoint() throws Exception {
    try (TcpServer a = TcpServer.start(named("A"));
         TcpServer b = TcpServer.start(named("B"));
         Harness h = Harness.start("--upstream", "127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port(),
             "--balance", "least_conn");
         Socket held = h.connect()) {
      String busy = firstLine(held);
      String idle = busy.equals("A") ? "B" : "A";
      for (int i = 0; i < 4; i++) {
        try (Socket s = h.connect()) {
          assertEquals(idle, firstLine(s));
        }
        int closed = i + 1;
        h.events.awaitClosed(closed);
      }
    }
  }

  @Test
  void roundRobin_spreadsOverEveryResolvedAddress() throws Exception {
    try (DnsServer dns = DnsServer.start();
         TcpServer a = TcpServer.start(loopback(1), 0, named("A"));
         TcpServer b = TcpServer.start(loopback(2), a.port(), named("B"))) {
      dns.answer("pair.podkit.test", 30, "127.0.0.1", "127.0.0.2");
      try (Harness h = Harness.start("--upstream", "pair.podkit.test:" + a.port(), "--dns-server",
          "127.0.0.1:" + dns.address().getPort())) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          try (Socket s = h.connect()) {
            seen.add(firstLine(s));
          }
        }
        assertEquals(2, seen.stream().filter("A"::equals).count(), seen + " " + h.events.events);
        assertEquals(2, seen.stream().filter("B"::equals).count(), seen.toString());
      }
    }
  }

  @Test
  void severalRoutes_eachListenerReachesItsOwnUpstream() throws Exception {
    try (TcpServer a = TcpServer.start(named("A"));
         TcpServer b = TcpServer.start(named("B"))) {
      int pa = Ports.free();
      int pb = Ports.free();
      try (Harness h = Harness.startExactly("--listen", "127.0.0.1:" + pa, "--upstream", "127.0.0.1:" + a.port(),
          "--listen", "127.0.0.1:" + pb, "--upstream", "127.0.0.1:" + b.port(), "--admin-address", "off")) {
        for (int round = 0; round < 2; round++) {
          for (int[] pair : new int[][] {{pa, 'A'}, {pb, 'B'}}) {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress("127.0.0.1", pair[0]), 5000);
              s.setSoTimeout(10_000);
              assertEquals(String.valueOf((char) pair[1]), firstLine(s));
            }
          }
        }
      }
    }
  }

  @Test
  void ipv6Route_usesTheAaaaAnswer() throws Exception {
    try (DnsServer dns = DnsServer.start();
         TcpServer a = TcpServer.start(loopback(1), 0, named("A"));
         TcpServer b = TcpServer.start(InetAddress.getByName("::1"), a.port(), named("B"))) {
      dns.answer("dual.podkit.test", 30, "127.0.0.1", "::1");
      int port = Ports.free();
      // socat's TCP6 address: AAAA records only (TCP: A and, where the host has IPv6, AAAA).
      try (Harness h = Harness.startExactly("TCP-LISTEN:" + port + ",bind=127.0.0.1", "TCP6:dual.podkit.test:" + a.port(),
          "--admin-address", "off", "--dns-server", "127.0.0.1:" + dns.address().getPort())) {
        for (int i = 0; i < 2; i++) {
          try (Socket s = h.connect()) {
            assertEquals("B", firstLine(s), h.events.events.toString());
          }
        }
      }
    }
  }

  @Test
  void dnsAnswerChanges_newConnectionsFollow_openOnesKeepTheirUpstream() throws Exception {
    try (DnsServer dns = DnsServer.start();
         TcpServer a = TcpServer.start(loopback(1), 0, named("A"));
         TcpServer b = TcpServer.start(loopback(2), a.port(), named("B"))) {
      dns.answer("svc.podkit.test", 1, "127.0.0.1");
      try (Harness h = Harness.start("--upstream", "svc.podkit.test:" + a.port(), "--dns-server",
          "127.0.0.1:" + dns.address().getPort(), "--dns-refresh", "200ms");
           Socket old = h.connect()) {
        assertEquals("A", firstLine(old));
        dns.answer("svc.podkit.test", 1, "127.0.0.2");
        String now = Await.get(Duration.ofSeconds(10), "a new connection reaching B", () -> reached(h), "B"::equals);
        assertEquals("B", now);
        assertEquals("kept", TlsPeers.roundTrip(old, "kept"), "the open connection still reaches A");
        assertTrue(h.events.events.contains("dns svc.podkit.test [127.0.0.2]"), h.events.events.toString());
        assertTrue(dns.queries("svc.podkit.test") >= 2);
      }
    }
  }

  @Test
  void dnsAnswerKeptForItsTtl_cappedByDnsMaxTtl() throws Exception {
    try (DnsServer dns = DnsServer.start();
         TcpServer a = TcpServer.start(loopback(1), 0, named("A"));
         TcpServer b = TcpServer.start(loopback(2), a.port(), named("B"))) {
      dns.answer("cached.podkit.test", 3600, "127.0.0.1"); // an hour's TTL, capped at 3 s
      try (Harness h = Harness.start("--upstream", "cached.podkit.test:" + a.port(), "--dns-server",
          "127.0.0.1:" + dns.address().getPort(), "--dns-refresh", "200ms", "--dns-max-ttl", "3s")) {
        try (Socket s = h.connect()) {
          assertEquals("A", firstLine(s));
        }
        // The answer is changed right after the refresh that follows the capped TTL (its A and
        // AAAA queries answered, the count still for 100 ms), so the window below starts when
        // the cached answer does: a slow start could have used up the first answer's 3 s before
        // the first connection.
        int before = dns.queries("cached.podkit.test");
        long changed = dns.awaitQuiet("cached.podkit.test", before, Duration.ofMillis(100), Duration.ofSeconds(10));
        dns.answer("cached.podkit.test", 3600, "127.0.0.2");
        int asked = dns.queries("cached.podkit.test");
        // Within the (capped) TTL: the cached answer, for new connections and the background refresh alike.
        for (int i = 0; i < 5; i++) {
          try (Socket s = h.connect()) {
            String reached = firstLine(s);
            if ((System.nanoTime() - changed) / 1_000_000 < 1500) {
              assertEquals("A", reached, "the answer is kept for its TTL");
            }
          }
        }
        if ((System.nanoTime() - changed) / 1_000_000 < 1500) {
          assertEquals(asked, dns.queries("cached.podkit.test"), "no query while the answer is cached");
        }
        // Past the cap: asked again, and new connections follow the new answer.
        String now = Await.get(Duration.ofSeconds(10), "a new connection reaching B after --dns-max-ttl", () -> reached(h), "B"::equals);
        assertEquals("B", now);
        assertTrue((System.nanoTime() - changed) / 1_000_000 >= 1500, "followed the change before the TTL");
      }
    }
  }

  @Test
  void dnsFails_lastAnswerStaysInUse() throws Exception {
    try (DnsServer dns = DnsServer.start();
         TcpServer a = TcpServer.start(named("A"))) {
      dns.answer("flaky.podkit.test", 1, "127.0.0.1");
      try (Harness h = Harness.start("--upstream", "flaky.podkit.test:" + a.port(), "--dns-server",
          "127.0.0.1:" + dns.address().getPort(), "--dns-refresh", "200ms")) {
        try (Socket s = h.connect()) {
          assertEquals("A", firstLine(s));
        }
        dns.close(); // no answers any more
        h.events.awaitEvent("dns failed flaky.podkit.test");
        try (Socket s = h.connect()) {
          assertEquals("A", firstLine(s));
        }
      }
    }
  }

  @Test
  void maxConnections_fullRefusesAtOnce_andFreesUpWhenOneCloses() throws Exception {
    try (TcpServer a = TcpServer.start(named("A"));
         Harness h = Harness.start("--upstream", "127.0.0.1:" + a.port(), "--max-connections", "2")) {
      Socket one = h.connect();
      Socket two = h.connect();
      assertEquals("A", firstLine(one));
      assertEquals("A", firstLine(two));
      assertTrue(h.ambassador.full());
      // The third is reset at once: during the connect, or at the first read.
      try (Socket three = new Socket()) {
        three.connect(h.address(), 5000);
        three.setSoTimeout(5000);
        assertEquals(-1, three.getInputStream().read());
      } catch (SocketException e) {
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
      }
      assertEquals(End.OVERFLOW, h.events.awaitClosed(1).end());
      assertEquals(1, h.events.count("overflow"));
      one.close();
      Await.until(Duration.ofSeconds(5), "a slot free", () -> !h.ambassador.full());
      try (Socket four = h.connect()) {
        assertEquals("A", firstLine(four));
      }
      two.close();
    }
  }

  static InetSocketAddress at(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
