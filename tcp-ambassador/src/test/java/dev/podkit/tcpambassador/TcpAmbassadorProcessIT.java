package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.JavaProcess;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.TcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp-ambassador as a real process: exit codes, log lines, SIGTERM drain, the admin endpoint. */
class TcpAmbassadorProcessIT {
  private static final String MAIN = TcpAmbassadorMain.class.getName();
  private static final Duration EXIT = Duration.ofSeconds(30);
  @TempDir Path dir;

  private static JavaProcess start(String... args) {
    return JavaProcess.start(MAIN, Map.of(), args);
  }

  private static void awaitListening(JavaProcess p, int port) {
    Await.until(Duration.ofSeconds(20), "listening on " + port + "; stdout: " + p.stdout() + " stderr: " + p.stderr(),
        () -> p.stdout().contains("\"message\":\"listening\""));
  }

  private static String get(int port, String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
      return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
    s.setSoTimeout(20_000);
    return s;
  }

  @Test
  void outOfFileDescriptors_acceptingPausesWithoutSpinning_andRecovers() throws Exception {
    try (TcpServer echo = TcpServer.start(TcpServer.echo())) {
      int port = Ports.free();
      try (JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + echo.port(),
          "--event-loops", "1", "--admin-address", "off")) {
        awaitListening(p, port);
        roundTrip(port, "before");
        long open;
        try (var fds = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
          open = fds.count();
        }
        // Room for about one more proxied connection (two descriptors each), then accept4 fails
        // with EMFILE while clients keep waiting in the listen backlog.
        prlimit(p.pid(), open + 3);
        java.util.List<Socket> clients = new java.util.ArrayList<>();
        try {
          for (int i = 0; i < 6; i++) {
            clients.add(connect(port));
          }
          Await.until(Duration.ofSeconds(10), "a log line about accepting; stdout: " + p.stdout(),
              () -> p.stdout().contains("accepting connections failed; trying again shortly"));
          // Accepting is paused, not retried in a loop: the process stays nearly idle.
          long cpu0 = cpuTicks(p.pid());
          Await.during(Duration.ofSeconds(1), "the ambassador keeps running while out of descriptors", p::alive);
          long ticks = cpuTicks(p.pid()) - cpu0;
          assertTrue(ticks < 50, "CPU ticks (1/100 s) in one second while out of descriptors: " + ticks);
        } finally {
          for (Socket c : clients) {
            c.close();
          }
        }
        prlimit(p.pid(), 1024);
        roundTrip(port, "after");
        assertTrue(p.alive());
      }
    }
  }

  private static void roundTrip(int port, String text) throws IOException {
    try (Socket s = connect(port)) {
      assertEquals(text, TlsPeers.roundTrip(s, text));
    }
  }

  /** Sets the soft limit of open files of process {@code pid} (the hard one is left as it is). */
  private static void prlimit(long pid, long files) throws Exception {
    Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + files + ":")
        .redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** User plus system CPU of a process, in clock ticks (/proc/PID/stat, fields 14 and 15). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  @Test
  void badInput_exits2ListingEveryProblem() throws IOException {
    try (JavaProcess p = start("TCP-LISTEN:6379,fork,range=10.0.0.0/8", "OPENSSL:redis:6379,cafile=/nonexistent/ca.pem",
        "--retries", "many", "--nope")) {
      assertEquals(2, p.awaitExit(EXIT));
      assertEquals("""
          tcp-ambassador: error: --retries: not a whole number: 'many'
          tcp-ambassador: error: unknown option --nope
          tcp-ambassador: error: socat address 'TCP-LISTEN:6379,fork,range=10.0.0.0/8': option 'range' is not supported by tcp-ambassador
          tcp-ambassador: error: :6379 TLS CA file /nonexistent/ca.pem: no such file
          Run 'tcp-ambassador --help' for usage.
          """, p.stderr());
      assertEquals("", p.stdout());
    }
    try (JavaProcess p = start("TCP-LISTEN:6379,fork", "OPENSSL:redis:6379,cafile=/nonexistent/ca.pem,cert=/nonexistent/c.pem")) {
      assertEquals(2, p.awaitExit(EXIT));
      assertEquals("""
          tcp-ambassador: error: :6379 TLS CA file /nonexistent/ca.pem: no such file
          tcp-ambassador: error: :6379 TLS certificate /nonexistent/c.pem: no such file
          Run 'tcp-ambassador --help' for usage.
          """, p.stderr());
    }
    // A listen name that does not resolve (names come from a hosts file only: no DNS query leaves).
    Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    try (JavaProcess p = JavaProcess.start(MAIN, Map.of("JDK_JAVA_OPTIONS", "-Djdk.net.hosts.file=" + hosts),
        "TCP-LISTEN:6379,bind=no-such-host.invalid", "TCP:localhost:6379", "--retries", "many")) {
      assertEquals(2, p.awaitExit(EXIT));
      assertEquals("""
          tcp-ambassador: error: --retries: not a whole number: 'many'
          tcp-ambassador: error: listen address no-such-host.invalid:6379: the name 'no-such-host.invalid' does not resolve
          Run 'tcp-ambassador --help' for usage.
          """, p.stderr().replaceAll("(?m)^NOTE: Picked up JDK_JAVA_OPTIONS.*\n", ""));
    }
  }

  @Test
  void help_exits0AndShowsTheSocatForm() {
    try (JavaProcess p = start("--help")) {
      assertEquals(0, p.awaitExit(EXIT));
      assertTrue(p.stdout().contains("TCP-LISTEN:6379,fork,reuseaddr TCP:my-redis.example.com:6379"), p.stdout());
      assertTrue(p.stdout().contains("[PODKIT_UPSTREAM]"), p.stdout());
    }
  }

  @Test
  void sigterm_transferInFlight_completesThenExit0_newConnectionsRefused() throws Exception {
    int chunks = 40;
    TcpServer.Handler slowStream = sock -> {
      sock.getInputStream().read();
      OutputStream out = sock.getOutputStream();
      byte[] chunk = new byte[32 << 10];
      for (int i = 0; i < chunks; i++) {
        out.write(chunk);
        out.flush();
        Thread.sleep(50); // about 2 s in all
      }
      sock.shutdownOutput();
    };
    int port = Ports.free();
    int admin = Ports.free();
    try (TcpServer upstream = TcpServer.start(slowStream);
         JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + upstream.port(),
             "--admin-address", "127.0.0.1:" + admin, "--access-log", "--shutdown-timeout", "20s")) {
      awaitListening(p, port);
      assertEquals("200 ok\n", get(admin, "/readyz"));
      Socket s = connect(port);
      s.getOutputStream().write('g');
      InputStream in = s.getInputStream();
      assertTrue(in.read() >= 0);
      CompletableFuture<Long> rest = CompletableFuture.supplyAsync(() -> {
        try {
          return 1 + in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      p.terminate();
      Await.until(Duration.ofSeconds(10), "new connections refused", () -> refused(port));
      assertTrue(get(admin, "/readyz").startsWith("503 shutting down"));
      assertEquals((long) chunks * (32 << 10), rest.get(20, TimeUnit.SECONDS), "the whole transfer");
      s.close();
      assertEquals(0, p.awaitExit(EXIT), p.stdout());
      String out = p.stdout();
      // Connections the refusal probe opened before the listener closed were drained too.
      assertTrue(out.contains("\"message\":\"listeners closed; draining\",\"open_connections\":"), out);
      assertTrue(out.contains("\"logger\":\"tcp-ambassador.access\",\"message\":\"connection\""), out);
      assertTrue(out.contains("\"bytes_sent\":" + (long) chunks * (32 << 10)), out);
      // The transfer's own line (the refusal probes have theirs): its upstream and duration.
      Matcher transfer = Pattern.compile("\"upstream\":\"([^\"]+)\",\"attempts\":1,\"bytes_received\":1,"
          + "\"bytes_sent\":" + (long) chunks * (32 << 10) + ",\"duration_ms\":(\\d+)").matcher(out);
      assertTrue(transfer.find(), out);
      assertEquals("127.0.0.1:" + upstream.port(), transfer.group(1));
      assertTrue(Long.parseLong(transfer.group(2)) >= 1500, "the transfer took about 2 s: " + out);
      assertTrue(out.contains("\"end\":\"closed\""), out);
      assertTrue(out.contains("\"message\":\"stopped\""), out);
    }
  }

  @Test
  void sigterm_connectionThatNeverEnds_closedAtTheDeadline_exit0() throws Exception {
    int port = Ports.free();
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + echo.port(),
             "--admin-address", "off", "--access-log", "--shutdown-timeout", "2s")) {
      awaitListening(p, port);
      Socket s = connect(port);
      s.getOutputStream().write(7);
      assertEquals(7, s.getInputStream().read());
      long t0 = System.nanoTime();
      p.terminateCleanly(EXIT);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 4000, "exit after " + ms + " ms");
      assertTrue(p.stdout().contains("\"end\":\"drain_timeout\""), p.stdout());
      assertEquals(-1, s.getInputStream().read());
      s.close();
    }
  }

  @Test
  void maxConnections_readyzFailsWhileFull_overflowPausedReadsAndIdleTimeoutCounted() throws Exception {
    int total = 32 << 20;
    TcpServer.Handler firehose = sock -> {
      sock.getInputStream().read();
      byte[] chunk = new byte[64 << 10];
      OutputStream out = sock.getOutputStream();
      for (int sent = 0; sent < total; sent += chunk.length) {
        out.write(chunk);
      }
      sock.shutdownOutput();
    };
    int port = Ports.free();
    int admin = Ports.free();
    try (TcpServer upstream = TcpServer.start(firehose);
         JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + upstream.port(),
             "--admin-address", "127.0.0.1:" + admin, "--max-connections", "1", "--idle-timeout", "3s")) {
      awaitListening(p, port);
      assertEquals("200 ok\n", get(admin, "/readyz"));
      String route = "{image=\"tcp-ambassador\",route=\"127.0.0.1:" + port + "\"}";
      try (Socket held = connect(port)) {
        held.getOutputStream().write('g');
        assertTrue(held.getInputStream().read() >= 0);
        // Full: /readyz fails, and one more client is closed at once and counted.
        Await.until(Duration.ofSeconds(10), "/readyz failing while full", () -> readyz(admin).startsWith("503 full"));
        try (Socket extra = connect(port)) {
          extra.setSoTimeout(5000);
          assertEquals(-1, extra.getInputStream().read());
        } catch (java.net.SocketException e) {
          // closed at once, possibly with a reset: either way refused
        }
        // The client reads nothing more: reading from the upstream pauses, nothing moves, and the
        // idle timeout closes the connection.
        String m = Await.get(Duration.ofSeconds(20), "paused, then closed by the idle timeout", () -> metrics(admin),
            x -> x.contains("podkit_tcp_ambassador_downstream_cx_idle_timeout_total" + route + " 1.0"));
        for (String line : new String[] {
            "podkit_tcp_ambassador_downstream_cx_overflow_total" + route + " 1.0",
            "podkit_tcp_ambassador_downstream_cx_active" + route + " 0.0"}) {
          assertTrue(m.contains(line), line + "\n" + m);
        }
        // Paused at least once (and again each time the client's kernel took a little more).
        assertTrue(counter(m, "podkit_tcp_ambassador_upstream_flow_control_paused_reading_total" + route) >= 1, m);
        assertEquals("200 ok\n", get(admin, "/readyz"));
      }
    }
  }

  @Test
  void upstreamNeverAnswers_connectTimeoutsAndTheGiveUpOnMetrics() throws Exception {
    int port = Ports.free();
    int admin = Ports.free();
    try (FullListener full = FullListener.open();
         JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + full.port(),
             "--admin-address", "127.0.0.1:" + admin, "--connect-timeout", "300ms", "--retries", "1",
             "--retry-backoff", "10ms")) {
      awaitListening(p, port);
      try (Socket s = connect(port)) {
        s.setSoTimeout(10_000);
        try {
          assertEquals(-1, s.getInputStream().read());
        } catch (java.net.SocketException e) {
          // reset: the client is told the connection failed
        }
      }
      String route = "{image=\"tcp-ambassador\",route=\"127.0.0.1:" + port + "\"}";
      String m = Await.get(Duration.ofSeconds(10), "the give-up counted", () -> metrics(admin),
          x -> counter(x, "podkit_tcp_ambassador_upstream_cx_connect_attempts_exceeded_total" + route) == 1);
      assertEquals(2, counter(m, "podkit_tcp_ambassador_upstream_cx_connect_timeout_total" + route), m);
      assertEquals(0, counter(m, "podkit_tcp_ambassador_upstream_cx_total" + route), m);
      assertEquals(1, counter(m, "podkit_tcp_ambassador_cx_end_total{end=\"upstream_connect_failed\","
          + "image=\"tcp-ambassador\",route=\"127.0.0.1:" + port + "\"}"), m);
    }
  }

  @Test
  void drainDelay_stillAcceptsForTheDelay_thenRefuses_exit0() throws Exception {
    int port = Ports.free();
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + echo.port(),
             "--admin-address", "off", "--drain-delay", "2s", "--shutdown-timeout", "10s")) {
      awaitListening(p, port);
      p.terminate();
      Await.until(Duration.ofSeconds(10), "the delay begins", () -> p.stdout().contains("still accepting before the drain"));
      long t0 = System.nanoTime();
      try (Socket s = connect(port)) { // a classic sidecar's app still connecting after SIGTERM
        s.getOutputStream().write(9);
        assertEquals(9, s.getInputStream().read());
      }
      Await.until(Duration.ofSeconds(10), "new connections refused", () -> refused(port));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 1000, "refused " + ms + " ms into a 2 s drain delay");
      assertEquals(0, p.awaitExit(EXIT), p.stdout());
    }
  }

  /** Whether a connection to {@code port} is refused (the listener closed). */
  private static boolean refused(int port) {
    try (Socket late = connect(port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static double counter(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static String readyz(int admin) {
    try {
      return get(admin, "/readyz");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String metrics(int admin) {
    try {
      return get(admin, "/metrics");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void adminEndpoint_metricsCarryTheRoute_andEnvoyStyleNames() throws Exception {
    int port = Ports.free();
    int admin = Ports.free();
    try (TcpServer echo = TcpServer.start(TcpServer.echo());
         JavaProcess p = start("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + echo.port(),
             "--admin-address", "127.0.0.1:" + admin)) {
      awaitListening(p, port);
      try (Socket s = connect(port)) {
        s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        assertEquals("hello", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
      }
      String route = "route=\"127.0.0.1:" + port + "\"";
      String metrics = Await.get(Duration.ofSeconds(10), "the connection counted", () -> metrics(admin),
          m -> m.contains("podkit_tcp_ambassador_cx_end_total{end=\"closed\",image=\"tcp-ambassador\"," + route + "} 1.0"));
      for (String line : new String[] {
          "podkit_tcp_ambassador_downstream_cx_total{image=\"tcp-ambassador\"," + route + "} 1.0",
          "podkit_tcp_ambassador_downstream_cx_active{image=\"tcp-ambassador\"," + route + "} 0.0",
          "podkit_tcp_ambassador_downstream_cx_rx_bytes_total{image=\"tcp-ambassador\"," + route + "} 5.0",
          "podkit_tcp_ambassador_downstream_cx_tx_bytes_total{image=\"tcp-ambassador\"," + route + "} 5.0",
          "podkit_tcp_ambassador_upstream_cx_total{image=\"tcp-ambassador\"," + route + "} 1.0",
          "podkit_tcp_ambassador_upstream_cx_connect_fail_total{image=\"tcp-ambassador\"," + route + "} 0.0",
          "podkit_tcp_ambassador_upstream_cx_connect_seconds_count{image=\"tcp-ambassador\"," + route + "} 1"}) {
        assertTrue(metrics.contains(line), line + "\n" + metrics);
      }
      assertEquals("200 ok\n", get(admin, "/startupz"));
    }
  }
}
