package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.podkit.image.BuildInfo;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.ContainerRun;
import dev.podkit.testfixtures.LocalImages;
import dev.podkit.testfixtures.PodkitImages;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.RedisServer;
import dev.podkit.testfixtures.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The built tcp-ambassador image in the local Docker engine (read-only root file system, uid
 * 65532), as the ambassador of a pod: an app container sharing its network namespace reaches a
 * real redis-server through localhost. The ambassador uses the host's network to reach the
 * server the test starts on loopback; {@code my-redis.example.com} is in its /etc/hosts.
 */
class TcpAmbassadorContainerIT {
  private static final String IMAGE = PodkitImages.of("tcp-ambassador");
  private static final Duration EXIT = Duration.ofSeconds(60);
  /** Idle RSS bounds, MB: what this image measures plus a small margin (see the test). */
  private static final long IDLE_RSS_AT_START_MB = 64;
  private static final long IDLE_RSS_AFTER_TRAFFIC_MB = 68;

  private static ContainerRun ambassador(String... args) {
    return ContainerRun.of(IMAGE).network("host")
        .customize(cmd -> cmd.withHostConfig(cmd.getHostConfig().withExtraHosts("my-redis.example.com:127.0.0.1")))
        .args(args).start();
  }

  private static void awaitLog(ContainerRun c, String text) {
    Await.until(Duration.ofSeconds(30), "'" + text + "' in the container's log", () -> c.logs().contains(text));
  }

  /** An app container in the ambassador's network namespace: PING and QUIT to localhost:port. */
  private static String redisPingThrough(ContainerRun amb, int port) {
    try (ContainerRun app = ContainerRun.of(LocalImages.busybox()).network("container:" + amb.id())
        .args("sh", "-c", "printf 'PING\\r\\nQUIT\\r\\n' | nc 127.0.0.1 " + port).start()) {
      assertEquals(0, app.awaitExit(EXIT), app.logs());
      return app.logs();
    }
  }

  private static String get(int port, String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
      return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void image_runsTheClassesJustBuilt_fromItsAotCache() {
    try (ContainerRun c = ContainerRun.of(IMAGE).args("--version")
        .env(Map.of("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info")).start()) {
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      String logs = c.logs();
      assertTrue(logs.contains("tcp-ambassador " + BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")"), logs);
      assertTrue(logs.contains("dev.podkit.tcpambassador.TcpAmbassadorMain source: shared objects file"),
          "loaded from the AOT cache");
    }
  }

  @Test
  void image_runsAsNonRoot_onItsAdminPort() {
    DockerClient docker = DockerClientFactory.instance().client();
    var config = docker.inspectImageCmd(IMAGE).exec().getConfig();
    assertEquals("65532:65532", config.getUser());
    assertTrue(String.valueOf(config.getExposedPorts() == null ? null : java.util.Arrays.asList(config.getExposedPorts()))
        .contains("9402"), "admin port exposed");
  }

  @Test
  void socatLineUnchanged_appReachesRedisThroughLocalhost_sigtermExits0() throws Exception {
    int port = Ports.free();
    try (RedisServer redis = RedisServer.create(null)) {
      redis.start();
      redis.awaitReady(Duration.ofSeconds(20));
      try (ContainerRun amb = ambassador("TCP-LISTEN:" + port + ",fork,reuseaddr",
          "TCP:my-redis.example.com:" + redis.port(), "--admin-address", "127.0.0.1:" + Ports.free(), "--access-log")) {
        awaitLog(amb, "\"message\":\"listening\"");
        String reply = redisPingThrough(amb, port);
        assertTrue(reply.contains("+PONG"), reply);
        assertTrue(reply.contains("+OK"), reply);
        amb.signal("TERM");
        assertEquals(0, amb.awaitExit(EXIT), amb.logs());
        String logs = amb.logs();
        assertTrue(logs.contains("\"transport\":\"epoll\""), "native epoll loads on a read-only root fs: " + logs);
        assertTrue(logs.contains("\"end\":\"closed\""), logs);
        for (String line : logs.strip().split("\n")) {
          assertTrue(line.startsWith("{\"time\":\"") && line.endsWith("}"), "not a JSON line: " + line);
        }
      }
    }
  }

  @Test
  void flags_redisThroughTheAmbassador_metricsAndHealthOnTheAdminPort() throws Exception {
    int port = Ports.free();
    int admin = Ports.free();
    try (RedisServer redis = RedisServer.create(null)) {
      redis.start();
      redis.awaitReady(Duration.ofSeconds(20));
      try (ContainerRun amb = ambassador("--listen", "127.0.0.1:" + port, "--upstream",
          "my-redis.example.com:" + redis.port(), "--admin-address", "127.0.0.1:" + admin)) {
        awaitLog(amb, "\"message\":\"listening\"");
        assertTrue(redisPingThrough(amb, port).contains("+PONG"));
        assertEquals("200 ok\n", get(admin, "/readyz"));
        String metrics = Await.get(Duration.ofSeconds(10), "the connection in the metrics", () -> {
          try {
            return get(admin, "/metrics");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, m -> m.contains("podkit_tcp_ambassador_cx_end_total{end=\"closed\""));
        assertTrue(metrics.contains("podkit_tcp_ambassador_downstream_cx_total{image=\"tcp-ambassador\",route=\"127.0.0.1:"
            + port + "\"} 1.0"), metrics);
      }
    }
  }

  /**
   * Idle RSS of the built image (the container's java process, the file-backed pages of libjvm
   * and the AOT cache included) comes under a bound at start and again after traffic once every
   * connection is closed. The JVM returns its compiler's freed memory within seconds
   * (TrimNativeHeapInterval), so the test waits for the idle figure instead of reading it at
   * once. Measured in this container with tiered compilation (2026-12-06): 62.5-64.3 MB at
   * start, 70.8 MB idle after redis-benchmark load, about 87 MB after load without the trim
   * (bench/tcp-ambassador/tuning.md, "Idle RSS"); with C2 only (2026-12-07, this test's traffic):
   * 60.6 MB at start, 62.3 MB after. The bound at start is the issue's goal, 64 MB; after this
   * test's traffic it is the measured figure plus a small margin, so a change that grows the idle
   * RSS fails here (bench.py's heavier load leaves more: see its results).
   */
  @Test
  void idleRss_atStartAndAfterTrafficClosed_underTheBounds() throws Exception {
    int port = Ports.free();
    try (RedisServer redis = RedisServer.create(null)) {
      redis.start();
      redis.awaitReady(Duration.ofSeconds(20));
      try (ContainerRun amb = ambassador("--listen", "127.0.0.1:" + port, "--upstream",
          "my-redis.example.com:" + redis.port(), "--admin-address", "127.0.0.1:" + Ports.free())) {
        awaitLog(amb, "\"message\":\"listening\"");
        awaitIdleRss(amb, IDLE_RSS_AT_START_MB, "at start");
        redisTraffic(port, 300, 20_000);
        awaitIdleRss(amb, IDLE_RSS_AFTER_TRAFFIC_MB, "after 300 connections and 20,000 pipelined PINGs, all closed");
      }
    }
  }

  private static void awaitIdleRss(ContainerRun c, long boundMb, String when) {
    long pid = DockerClientFactory.instance().client().inspectContainerCmd(c.id()).exec().getState().getPidLong();
    Await.get(Duration.ofSeconds(30), "idle RSS <= " + boundMb + " MB " + when + " (kB)", () -> rssKiB(pid),
        kib -> kib <= boundMb * 1024);
  }

  /** The resident memory of a process now, kB (VmRSS: anonymous and file-backed pages). */
  private static long rssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no VmRSS for pid " + pid);
  }

  /**
   * Opens {@code connections} connections through the ambassador, PINGs on each and holds them
   * all open, sends {@code pipelined} PINGs at once on one of them, then closes them all.
   */
  private static void redisTraffic(int port, int connections, int pipelined) throws IOException {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        open.add(s);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      for (Socket s : open) {
        assertEquals("+PONG\r\n", new String(s.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
      }
      Socket s = open.get(0);
      s.getOutputStream().write("PING\r\n".repeat(pipelined).getBytes(StandardCharsets.US_ASCII));
      byte[] replies = s.getInputStream().readNBytes(7 * pipelined);
      assertEquals(7 * pipelined, replies.length);
    } finally {
      for (Socket s : open) s.close();
    }
  }

  /**
   * The TLS ambassador: the app speaks plain Redis to localhost; one ambassador container
   * originates TLS with a client certificate (socat's OPENSSL address, unchanged), a second
   * container of the same image terminates it and checks the client certificate (OPENSSL-LISTEN)
   * in front of a real redis-server. Both use BoringSSL from the image's read-only /app/native;
   * busybox nc half-closes after its request, and the replies still come back.
   */
  @Test
  void tlsAmbassador_appPlaintextToLocalhost_mutualTlsToATlsUpstream_redisAnswers() throws Exception {
    Path tls = Files.createTempDirectory("podkit-amb-tls");
    TestCertificateAuthority ca = TestCertificateAuthority.create(tls, "pod");
    TestCertificateAuthority.Issued server = ca.issue("redis-tls", "DNS:my-redis.example.com,IP:127.0.0.1");
    TestCertificateAuthority.Issued client = ca.issue("app");
    // The image runs as uid 65532: the mounted files must be readable by it.
    Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var files = Files.list(tls)) {
      for (Path f : files.toList()) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
    int appPort = Ports.free();
    int tlsPort = Ports.free();
    try (RedisServer redis = RedisServer.create(null)) {
      redis.start();
      redis.awaitReady(Duration.ofSeconds(20));
      try (ContainerRun terminator = ContainerRun.of(IMAGE).network("host").bind(tls, "/tls:ro")
               .args("OPENSSL-LISTEN:" + tlsPort + ",fork,reuseaddr,bind=127.0.0.1,cert=/tls/redis-tls.crt,"
                   + "key=/tls/redis-tls.key,cafile=/tls/pod-ca.crt", "TCP:127.0.0.1:" + redis.port(),
                   "--admin-address", "off", "--access-log").start();
           ContainerRun amb = ContainerRun.of(IMAGE).network("host").bind(tls, "/tls:ro")
               .customize(cmd -> cmd.withHostConfig(cmd.getHostConfig().withExtraHosts("my-redis.example.com:127.0.0.1")))
               .args("TCP-LISTEN:" + appPort + ",fork,reuseaddr",
                   "OPENSSL:my-redis.example.com:" + tlsPort + ",cafile=/tls/pod-ca.crt,cert=/tls/app.crt,key=/tls/app.key",
                   "--admin-address", "off", "--access-log").start()) {
        awaitLog(terminator, "\"message\":\"listening\"");
        awaitLog(amb, "\"message\":\"listening\"");
        String reply = redisPingThrough(amb, appPort);
        assertTrue(reply.contains("+PONG"), reply + "\n" + amb.logs() + "\n" + terminator.logs());
        assertTrue(reply.contains("+OK"), reply);
        for (ContainerRun c : List.of(amb, terminator)) {
          assertTrue(c.logs().contains("\"tls_provider\":\"boringssl\""), "BoringSSL loads on a read-only root fs: "
              + c.logs());
          Await.until(Duration.ofSeconds(10), "the connection's access log line", () -> c.logs().contains("\"end\":\"closed\""));
          assertTrue(c.logs().contains("\"bytes_sent\":12"), "+PONG and +OK went back: " + c.logs());
        }
      }
    } finally {
      try (var files = Files.list(tls)) {
        for (Path f : files.toList()) Files.delete(f);
      }
      Files.delete(tls);
    }
  }

  @Test
  void tlsListener_badCertificateFiles_exit2WithEachProblem() throws Exception {
    try (ContainerRun c = ContainerRun.of(IMAGE).args("OPENSSL-LISTEN:6380,cert=/nope/server.crt,verify=1",
        "TCP:redis:6379").start()) {
      assertEquals(2, c.awaitExit(EXIT));
      String logs = c.logs();
      assertTrue(logs.contains("verify=1 (socat's default) checks client certificates and needs cafile="), logs);
    }
    try (ContainerRun c = ContainerRun.of(IMAGE).args("OPENSSL-LISTEN:6380,cert=/nope/server.crt,cafile=/nope/ca.pem",
        "TCP:redis:6379").start()) {
      assertEquals(2, c.awaitExit(EXIT));
      String logs = c.logs();
      assertTrue(logs.contains(":6380 listener TLS certificate /nope/server.crt: no such file"), logs);
      assertTrue(logs.contains(":6380 listener TLS client CA file /nope/ca.pem: no such file"), logs);
    }
  }

  @Test
  void unsupportedSocatOption_exits2() {
    try (ContainerRun c = ContainerRun.of(IMAGE).args("TCP-LISTEN:6379,fork,su=nobody", "TCP:redis:6379").start()) {
      assertEquals(2, c.awaitExit(EXIT));
      assertTrue(c.logs().contains("option 'su' is not supported by tcp-ambassador"), c.logs());
    }
  }
}
