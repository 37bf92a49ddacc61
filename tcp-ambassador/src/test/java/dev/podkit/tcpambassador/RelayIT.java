package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.TcpServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay on real loopback sockets, on both transports: bytes both ways, half-close, resets,
 * timeouts, backpressure. On epoll a plain route is relayed by the {@link DirectRelay} (sockets of
 * its own), on NIO by the channel {@link Relay}.
 */
class RelayIT {
  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void relay_echo_everyByteBackAndSummaryCountsThem(String transport) throws Exception {
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + echo.port(), "--transport", transport);
         Socket s = h.connect()) {
      ConnectionSummary c = echoedAndCounted(h, s, 3 << 20);
      assertEquals(1, c.attempts());
      assertEquals(echo.address().getPort(), ((java.net.InetSocketAddress) c.upstream()).getPort());
      Await.until(Duration.ofSeconds(5), "no connection open", () -> h.ambassador.openConnections() == 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void halfClose_replyAfterTheClientsFin_reachesTheClient(String transport) throws Exception {
    // The server reads to EOF, waits, then answers: socat's 0.5 s -t loses this reply.
    TcpServer.Handler late = sock -> {
      long n = sock.getInputStream().transferTo(OutputStream.nullOutputStream());
      Thread.sleep(800);
      sock.getOutputStream().write(("got " + n).getBytes(StandardCharsets.US_ASCII));
      sock.shutdownOutput();
    };
    try (TcpServer server = TcpServer.start(late);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + server.port(), "--transport", transport);
         Socket s = h.connect()) {
      s.getOutputStream().write(random(100_000));
      s.shutdownOutput();
      assertEquals("got 100000", new String(readAll(s), StandardCharsets.US_ASCII));
      assertEquals(End.CLOSED, h.events.awaitClosed(1).end());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void upstreamReset_isPassedToTheClientAsAReset(String transport) throws Exception {
    TcpServer.Handler reset = sock -> {
      sock.getInputStream().read(new byte[4]);
      sock.setSoLinger(true, 0);
      sock.close();
    };
    try (TcpServer server = TcpServer.start(reset);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + server.port(), "--transport", transport);
         Socket s = h.connect()) {
      s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().readAllBytes());
      assertTrue(e.getMessage().contains("reset"), e.getMessage());
      assertEquals(End.UPSTREAM_RESET, h.events.awaitClosed(1).end());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void clientReset_isPassedToTheUpstreamAsAReset(String transport) throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    TcpServer.Handler record = sock -> {
      try {
        sock.getInputStream().transferTo(OutputStream.nullOutputStream());
        seen.complete("eof");
      } catch (SocketException e) {
        seen.complete(e.getMessage());
      }
    };
    try (TcpServer server = TcpServer.start(record);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + server.port(), "--transport", transport)) {
      Socket s = h.connect();
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      Await.until(Duration.ofSeconds(5), "upstream connected", () -> h.events.count("connected") == 1);
      s.setSoLinger(true, 0);
      s.close();
      String outcome = seen.get(10, TimeUnit.SECONDS);
      assertTrue(outcome.contains("reset"), outcome);
      assertEquals(End.DOWNSTREAM_RESET, h.events.awaitClosed(1).end());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void idleTimeout_silentConnection_closedBothWays(String transport) throws Exception {
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + echo.port(), "--idle-timeout", "300ms",
             "--transport", transport);
         Socket s = h.connect()) {
      long t0 = System.nanoTime();
      s.getOutputStream().write(1);
      assertEquals(1, s.getInputStream().read());
      assertEquals(-1, s.getInputStream().read());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 250 && ms < 5000, ms + " ms");
      assertEquals(End.IDLE_TIMEOUT, h.events.awaitClosed(1).end());
      Await.until(Duration.ofSeconds(5), "upstream side closed too", () -> echo.open() == 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void halfCloseTimeout_upstreamNeverAnswersAfterFin_closed(String transport) throws Exception {
    CountDownLatch testDone = new CountDownLatch(1);
    TcpServer.Handler silent = sock -> {
      sock.getInputStream().transferTo(OutputStream.nullOutputStream());
      testDone.await(30, TimeUnit.SECONDS); // neither answers nor closes while the test runs
    };
    try (TcpServer server = TcpServer.start(silent);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + server.port(), "--half-close-timeout", "300ms",
             "--transport", transport);
         Socket s = h.connect()) {
      s.getOutputStream().write(1);
      s.shutdownOutput();
      assertEquals(-1, s.getInputStream().read());
      assertEquals(End.HALF_CLOSE_TIMEOUT, h.events.awaitClosed(1).end());
    } finally {
      testDone.countDown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void slowReader_readingPausesAndMemoryStaysBounded(String transport) throws Exception {
    int total = 64 << 20;
    TcpServer.Handler firehose = sock -> {
      byte[] chunk = new byte[64 << 10];
      OutputStream out = sock.getOutputStream();
      for (int sent = 0; sent < total; sent += chunk.length) {
        out.write(chunk);
      }
      sock.shutdownOutput();
      sock.getInputStream().transferTo(OutputStream.nullOutputStream());
    };
    try (TcpServer server = TcpServer.start(firehose);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + server.port(), "--transport", transport);
         Socket s = h.connect()) {
      s.setReceiveBufferSize(64 << 10);
      InputStream in = s.getInputStream();
      in.read();
      // The client reads nothing for a while: the proxy must stop reading from the upstream.
      h.events.awaitEvent("paused upstream");
      // The relay's buffers come from the channels' allocator, Netty's default (the adaptive one
      // in 4.2), in this process: its direct memory is what reading without pauses would grow.
      ByteBufAllocatorMetric memory = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
      long before = memory.usedDirectMemory();
      assertTrue(before > 0, "the allocator the relay uses holds its buffers");
      Await.during(Duration.ofMillis(500), "direct memory within 8 MiB of the " + before + " bytes at the pause",
          () -> memory.usedDirectMemory() < before + (8 << 20));
      long read = 1 + in.transferTo(OutputStream.nullOutputStream());
      assertEquals(total, read);
      assertTrue(h.events.count("resumed upstream") > 0, h.events.matching("resumed").toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void bothFinsCrossedWhileReadingIsPaused_everyByteStillArrives(String transport) throws Exception {
    // The client half-closes and then reads nothing. The upstream streams until the relay
    // pauses reading from it and then sends its FIN at once (a small send buffer keeps little
    // queued behind the pause), so the FIN reaches the proxy's upstream socket while the relay
    // holds bytes for the client and reads nothing from it: on that socket both FINs have
    // crossed (epoll reports a hang-up there, not an error). All must still arrive.
    AtomicReference<RecordingEvents> events = new AtomicReference<>();
    CompletableFuture<Long> answered = new CompletableFuture<>();
    TcpServer.Handler server = sock -> {
      sock.setSendBufferSize(32 << 10);
      sock.getInputStream().transferTo(OutputStream.nullOutputStream());
      byte[] chunk = random(16 << 10);
      long sent = 0;
      for (int i = 0; i < 4096 && !events.get().firstPause.isDone(); i++) { // bounded: at most 64 MiB
        sock.getOutputStream().write(chunk);
        sent += chunk.length;
      }
      sock.shutdownOutput();
      answered.complete(sent);
      sock.getInputStream().read();
    };
    try (TcpServer upstream = TcpServer.start(server);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + upstream.port(), "--transport", transport);
         Socket s = h.connect()) {
      events.set(h.events);
      s.setReceiveBufferSize(64 << 10);
      s.getOutputStream().write("send it all".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertEquals(Side.UPSTREAM, h.events.firstPause.get(20, TimeUnit.SECONDS));
      long sent = answered.get(20, TimeUnit.SECONDS);
      assertEquals(sent, s.getInputStream().transferTo(OutputStream.nullOutputStream()));
      ConnectionSummary c = h.events.awaitClosed(1);
      assertEquals(End.CLOSED, c.end());
      assertEquals(sent, c.upstreamRxBytes());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", Harness.EPOLL_COPY, "nio"})
  void connectionChurn_manyShortConnections_noneLeftOpen(String transport) throws Exception {
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + echo.port(), "--transport", transport)) {
      for (int i = 0; i < 300; i++) {
        try (Socket s = h.connect()) {
          s.getOutputStream().write(i);
          s.shutdownOutput();
          assertEquals(i & 0xff, s.getInputStream().read());
          assertEquals(-1, s.getInputStream().read());
        }
      }
      Await.until(Duration.ofSeconds(10), "every connection finished", () -> h.events.closed.size() == 300);
      assertEquals(0, h.ambassador.openConnections());
      Await.until(Duration.ofSeconds(5), "upstream connections closed", () -> echo.open() == 0);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void bulkBytes_splicedThroughPipesOnlyWhenSpliceIsOn(boolean splice) throws Exception {
    long before = pipesOpen();
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + echo.port(), "--transport",
             splice ? "epoll" : Harness.EPOLL_COPY, "--event-loops", "1");
         Socket s = h.connect()) {
      echoedAndCounted(h, s, 8 << 20);
      // The relay's loop keeps the pipes it spliced through for the next connections.
      long added = pipesOpen() - before;
      if (splice) {
        assertTrue(added >= 2, "pipe ends kept by the relay's loop: " + added);
      } else {
        assertEquals(0, added, "no pipe without splice");
      }
    }
  }

  /**
   * Sends {@code n} random bytes through {@code s} to an echoing upstream, half-closes, and checks
   * that every byte came back and that the connection's summary counts them both ways.
   */
  private static ConnectionSummary echoedAndCounted(Harness h, Socket s, int n) throws Exception {
    byte[] data = random(n);
    CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readAll(s));
    s.getOutputStream().write(data);
    s.shutdownOutput();
    assertArrayEquals(data, back.get(20, TimeUnit.SECONDS));
    ConnectionSummary c = h.events.awaitClosed(1);
    assertEquals(End.CLOSED, c.end());
    assertEquals(n, c.downstreamRxBytes());
    assertEquals(n, c.upstreamRxBytes());
    return c;
  }

  /** Pipe ends this process has open. */
  private static long pipesOpen() throws IOException {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("pipe:");
        } catch (IOException e) {
          return false; // closed meanwhile
        }
      }).count();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void proxyProtocol_headerBeforeTheClientsBytes(String version) throws Exception {
    CompletableFuture<byte[]> first = new CompletableFuture<>();
    TcpServer.Handler capture = sock -> {
      byte[] b = new byte[512];
      int n = sock.getInputStream().readNBytes(b, 0, version.equals("v1") ? 1 : 16);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(b, 0, n);
      sock.setSoTimeout(300);
      try {
        for (int r; (r = sock.getInputStream().read(b)) > 0; ) all.write(b, 0, r);
      } catch (java.net.SocketTimeoutException e) {
        // all that was sent so far
      }
      first.complete(all.toByteArray());
    };
    try (TcpServer server = TcpServer.start(capture);
         Harness h = Harness.start("--upstream", "127.0.0.1:" + server.port(), "--proxy-protocol", version);
         Socket s = h.connect()) {
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      byte[] got = first.get(10, TimeUnit.SECONDS);
      if (version.equals("v1")) {
        String expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + s.getLocalPort() + " " + h.address().getPort() + "\r\nhello";
        assertEquals(expected, new String(got, StandardCharsets.US_ASCII));
      } else {
        byte[] sig = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        assertArrayEquals(sig, java.util.Arrays.copyOf(got, 12));
        assertEquals(0x21, got[12]); // version 2, PROXY
        assertEquals(0x11, got[13]); // TCP over IPv4
        java.nio.ByteBuffer v2 = java.nio.ByteBuffer.wrap(got, 14, got.length - 14); // big-endian
        assertEquals(12, v2.getShort()); // the addresses' length: two IPv4 addresses and two ports
        byte[] source = new byte[4];
        byte[] destination = new byte[4];
        v2.get(source).get(destination);
        assertArrayEquals(new byte[] {127, 0, 0, 1}, source);
        assertArrayEquals(new byte[] {127, 0, 0, 1}, destination);
        assertEquals(s.getLocalPort(), Short.toUnsignedInt(v2.getShort()), "the client's port");
        assertEquals(h.address().getPort(), Short.toUnsignedInt(v2.getShort()), "the listener's port");
        assertEquals("hello", new String(got, v2.position(), got.length - v2.position(), StandardCharsets.US_ASCII));
      }
    }
  }

  static byte[] readAll(Socket s) {
    try {
      return s.getInputStream().readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static InetAddress loopback(int last) throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }

  static int freePort() {
    return Ports.free();
  }
}
