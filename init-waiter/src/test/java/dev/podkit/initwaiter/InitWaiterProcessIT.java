package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.HttpTestServer;
import dev.podkit.testfixtures.JavaProcess;
import dev.podkit.testfixtures.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** init-waiter as a real process: exit codes, log lines, signals and its admin endpoint. */
class InitWaiterProcessIT {
  private static final String MAIN = InitWaiterMain.class.getName();
  private static final Duration EXIT = Duration.ofSeconds(20);

  private static JavaProcess start(String... args) {
    return JavaProcess.start(MAIN, Map.of(), args);
  }

  private static List<String> lines(String out) {
    List<String> lines = out.lines().toList();
    for (String l : lines) {
      assertTrue(l.startsWith("{\"time\":\"") && l.endsWith("}"), "not a JSON log line: " + l);
    }
    return lines;
  }

  @Test
  void run_targetsReady_exits0AndLogsJsonLines() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         JavaProcess p = start("--admin-address", "off", "127.0.0.1:" + s.getLocalPort(), "dns://localhost")) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = lines(p.stdout());
      assertTrue(lines.getFirst().contains("\"message\":\"waiting\""), lines.toString());
      assertTrue(lines.getLast().contains("\"message\":\"ready\",\"targets\":2,"), lines.toString());
      assertEquals("", p.stderr());
    }
  }

  @Test
  void run_timeout_exits124WithOneLinePerTargetNotReady() {
    int closed = Ports.free();
    try (JavaProcess p = start("--admin-address", "off", "--timeout", "700ms", "tcp://127.0.0.1:" + closed,
        "dns://localhost", "file:///nonexistent/ready")) {
      assertEquals(124, p.awaitExit(EXIT));
      List<String> notReady = lines(p.stdout()).stream().filter(l -> l.contains("\"message\":\"not ready\"")).toList();
      assertEquals(2, notReady.size(), p.stdout());
      assertTrue(notReady.get(0).contains("\"target\":\"tcp://127.0.0.1:" + closed + "\",\"reason\":\"connection refused\""), notReady.get(0));
      assertTrue(notReady.get(1).contains("\"target\":\"file:///nonexistent/ready\",\"reason\":\"no such file /nonexistent/ready\""), notReady.get(1));
      assertTrue(p.stdout().contains("\"message\":\"timed out\",\"after\":\"700ms\""), p.stdout());
    }
  }

  @Test
  void run_badInput_exits2ListingEveryProblem() {
    try (JavaProcess p = start("bogus://x", "tcp://db", "--timeout", "abc", "--nope")) {
      assertEquals(2, p.awaitExit(EXIT));
      assertEquals("""
          init-waiter: error: --timeout: bad duration 'abc' (use a number and a unit: 500ms, 10s, 2m, 1h30m)
          init-waiter: error: unknown option --nope
          init-waiter: error: bad target 'bogus://x': unknown scheme 'bogus' (use tcp://, http://, https://, dns://, file://, postgres://, redis://)
          init-waiter: error: bad target 'tcp://db': no port (use tcp://HOST:PORT)
          Run 'init-waiter --help' for usage.
          """, p.stderr());
      assertEquals("", p.stdout());
    }
  }

  @Test
  void run_sigtermWhileWaiting_exitsPromptlyWith143() {
    try (JavaProcess p = start("--admin-address", "off", "tcp://127.0.0.1:" + Ports.free())) {
      Await.until(Duration.ofSeconds(10), "waiting logged", () -> p.stdout().contains("\"target not ready\""));
      long t0 = System.nanoTime();
      p.terminate();
      assertEquals(143, p.awaitExit(EXIT));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "exit took " + took);
      assertTrue(p.stdout().contains("\"message\":\"stopped before the targets were ready\",\"signal\":\"SIGTERM\""),
          p.stdout() + p.stderr());
    }
  }

  @Test
  void run_helpAndVersion_exit0() {
    try (JavaProcess help = start("--help"); JavaProcess version = start("--version")) {
      assertEquals(0, help.awaitExit(EXIT));
      assertTrue(help.stdout().startsWith("Usage: init-waiter [options] TARGET...\n"), help.stdout());
      assertTrue(help.stdout().contains("[PODKIT_TIMEOUT]"));
      assertEquals(0, version.awaitExit(EXIT));
      assertTrue(version.stdout().matches("init-waiter \\S+ \\(build \\S+\\)\n"), version.stdout());
    }
  }

  @Test
  void admin_whileWaiting_servesReadinessAndMetrics() throws IOException {
    int admin = Ports.free();
    try (HttpTestServer target = HttpTestServer.http(0).status(503);
         JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--timeout", "30s",
             "http://127.0.0.1:" + target.port() + "/")) {
      Await.until(Duration.ofSeconds(10), "admin endpoint", () -> get(admin, "/metrics").startsWith("200"));
      assertEquals("503 waiting for targets\n", get(admin, "/readyz"));
      assertEquals("200 ok\n", get(admin, "/startupz"));
      String metrics = get(admin, "/metrics");
      assertTrue(metrics.contains("podkit_init_waiter_target_ready{image=\"init-waiter\",target=\"http://127.0.0.1:"
          + target.port() + "/\"} 0.0"), metrics);
      assertTrue(metrics.contains("podkit_init_waiter_attempts_total{image=\"init-waiter\",result=\"not_ready\""), metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes{"), "JVM meters");
      target.status(200);
      assertEquals(0, p.awaitExit(EXIT));
    }
  }

  private static String get(int port, String path) {
    try {
      var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        return status + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return "error " + e;
    }
  }
}
