package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.TcpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The options of the proxy's sockets as the kernel reports them (/proc/net/tcp): keepalive on
 * both sockets of a proxied connection, including accepted sockets that inherit it from the
 * listener on epoll, and upstream sockets that get it once their connection has lasted a second.
 */
class RelaySocketsIT {
  /** One established socket's keepalive state: its timer kind (2: keepalive) and when it fires, in 1/100 s. */
  private record TcpTimer(int kind, long whenTicks) {}

  /** The timers of both proxy sockets of one connection: the accepted one and the upstream one. */
  private record ProxySockets(TcpTimer accepted, TcpTimer upstream) {}

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void keepalive_on_bothProxySocketsRunTheKeepaliveTimer(String transport) throws Exception {
    ProxySockets t = oneConnection(transport, "30s");
    assertEquals(2, t.accepted().kind(), "accepted socket: " + t.accepted());
    assertEquals(2, t.upstream().kind(), "upstream socket: " + t.upstream());
    if (transport.equals("epoll")) { // the idle time too (NIO keeps the system's)
      assertTrue(t.accepted().whenTicks() > 0 && t.accepted().whenTicks() <= 3000, "accepted socket: " + t.accepted());
      assertTrue(t.upstream().whenTicks() > 0 && t.upstream().whenTicks() <= 3000, "upstream socket: " + t.upstream());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void keepalive_off_noKeepaliveTimer(String transport) throws Exception {
    ProxySockets t = oneConnection(transport, "0");
    assertEquals(0, t.accepted().kind());
    assertEquals(0, t.upstream().kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void listenBacklog_1024ByDefault_orAsSet_asTheKernelReportsIt(String transport) throws Exception {
    // The kernel caps a listen backlog at net.core.somaxconn (4096 on current kernels).
    int somaxconn = Integer.parseInt(
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/core/somaxconn")).getFirst().strip());
    try (Harness h = Harness.start("--upstream", "127.0.0.1:1", "--transport", transport)) {
      assertEquals(Math.min(1024, somaxconn), listenBacklog(h.address().getPort()));
    }
    try (Harness h = Harness.start("--upstream", "127.0.0.1:1", "--transport", transport, "--backlog", "2000")) {
      assertEquals(Math.min(2000, somaxconn), listenBacklog(h.address().getPort()));
    }
  }

  /** A listening socket's backlog as the kernel reports it: the Send-Q column of {@code ss -l}. */
  private static int listenBacklog(int port) throws Exception {
    Process p = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, out);
    String[] fields = out.strip().split("\\s+"); // State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
    assertEquals("LISTEN", fields[0], out);
    return Integer.parseInt(fields[2]);
  }

  /** Opens one connection through an ambassador to an echo server and reads both sockets' timers while it is open. */
  private static ProxySockets oneConnection(String transport, String keepaliveIdle) throws Exception {
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         Harness h = Harness.start("--upstream", "127.0.0.1:" + echo.port(), "--keepalive-idle", keepaliveIdle,
             "--transport", transport);
         Socket s = h.connect()) {
      s.getOutputStream().write(7);
      assertEquals(7, s.getInputStream().read());
      if (!keepaliveIdle.equals("0")) {
        // The upstream socket's keepalive is set once its connection has lasted a second
        // (RelayTimeouts.FIRST_TICK); with keepalive off nothing is scheduled to come.
        Await.until(Duration.ofSeconds(5), "the upstream socket's keepalive timer",
            () -> upstreamTimer(echo.port()).kind() == 2);
      }
      return new ProxySockets(timer(h.address().getPort(), s.getLocalPort()), upstreamTimer(echo.port()));
    }
  }

  /** The timer of the established socket from {@code localPort} to {@code remotePort}. */
  private static TcpTimer timer(int localPort, int remotePort) {
    List<TcpTimer> found = find(localPort, remotePort);
    assertEquals(1, found.size(), "sockets " + localPort + " -> " + remotePort + ": " + found);
    return found.getFirst();
  }

  /** The proxy's socket to the echo server: the only established one whose remote port is {@code port}. */
  private static TcpTimer upstreamTimer(int port) {
    AtomicReference<List<TcpTimer>> found = new AtomicReference<>();
    Await.until(Duration.ofSeconds(5), "one socket to port " + port, () -> {
      found.set(find(-1, port));
      return found.get().size() == 1;
    });
    return found.get().getFirst();
  }

  private static List<TcpTimer> find(int localPort, int remotePort) {
    List<TcpTimer> out = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of(file));
        for (String line : lines.subList(1, lines.size())) { // after the header
          String[] f = line.trim().split("\\s+");
          boolean established = f[3].equals("01");
          int local = port(f[1]);
          int remote = port(f[2]);
          if (established && remote == remotePort && (localPort < 0 || local == localPort)) {
            String[] timer = f[5].split(":");
            out.add(new TcpTimer(Integer.parseInt(timer[0], 16), Long.parseLong(timer[1], 16)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
