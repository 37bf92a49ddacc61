package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.podkit.image.BuildInfo;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.ContainerRun;
import dev.podkit.testfixtures.HttpTestServer;
import dev.podkit.testfixtures.LocalImages;
import dev.podkit.testfixtures.PodkitImages;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.PostgresServer;
import dev.podkit.testfixtures.RedisServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The built init-waiter image in the local Docker engine (read-only root file system, as podkit
 * images must run), against real servers: host networking reaches servers the test starts on
 * loopback; a Docker network of the test's own shows a name that resolves only later.
 */
class InitWaiterContainerIT {
  private static final String IMAGE = PodkitImages.of("init-waiter");
  private static final Duration EXIT = Duration.ofSeconds(60);

  private static ContainerRun hostNet(String... args) {
    return ContainerRun.of(IMAGE).network("host").args(args).start();
  }

  private static void awaitLog(ContainerRun c, String text) {
    Await.until(Duration.ofSeconds(30), "'" + text + "' in the container's log", () -> c.logs().contains(text));
  }

  @Test
  void image_runsTheClassesJustBuilt_fromItsAotCache() {
    // AOTMode=on makes an unusable cache fatal; the build id proves the classes are this build's
    // and not a stale cache's (Temurin 25.0.3 would run those silently, JDK-8377932).
    try (ContainerRun c = ContainerRun.of(IMAGE).args("--version")
        .env(Map.of("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info")).start()) {
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      String logs = c.logs();
      assertTrue(logs.contains("init-waiter " + BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")"), logs);
      assertTrue(logs.contains("dev.podkit.initwaiter.InitWaiterMain source: shared objects file"), "loaded from the AOT cache");
    }
  }

  @Test
  void image_runsAsNonRootWithoutAShell() {
    DockerClient docker = DockerClientFactory.instance().client();
    var config = docker.inspectImageCmd(IMAGE).exec().getConfig();
    assertEquals("65532:65532", config.getUser());
    assertEquals("[/opt/java/bin/java, @/app/java.args]", String.valueOf(java.util.Arrays.asList(config.getEntrypoint())));
    var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> ContainerRun.of(IMAGE).entrypoint("/bin/sh").start().close());
    assertTrue(String.valueOf(e.getMessage()).contains("no such file or directory")
        || String.valueOf(e.getMessage()).contains("executable file not found"), e.getMessage());
  }

  @Test
  void tcp_portThatOpensLate_exits0SoonAfter() throws Exception {
    int port = Ports.free();
    try (ContainerRun c = hostNet("--admin-address", "off", "tcp://127.0.0.1:" + port)) {
      awaitLog(c, "\"reason\":\"connection refused\"");
      try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
        long t0 = System.nanoTime();
        assertEquals(0, c.awaitExit(EXIT), c.logs());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "exit " + took + " after the port opened");
      }
      assertTrue(c.logs().contains("\"message\":\"ready\""), c.logs());
    }
  }

  @Test
  void http_503Then200_exits0() {
    try (HttpTestServer server = HttpTestServer.http(0).status(503);
         ContainerRun c = hostNet("--admin-address", "off", "http://127.0.0.1:" + server.port() + "/healthz#body=ok")) {
      awaitLog(c, "\"reason\":\"status 503, want 200-299\"");
      server.status(200);
      assertEquals(0, c.awaitExit(EXIT), c.logs());
    }
  }

  @Test
  void postgres_startsLate_loginAndSelect1_thenExit0() throws Exception {
    try (PostgresServer pg = PostgresServer.create("s3cret");
         ContainerRun c = hostNet("--admin-address", "off",
             "postgres://postgres:s3cret@127.0.0.1:" + pg.port() + "/postgres")) {
      awaitLog(c, "\"reason\":\"connection refused\"");
      pg.start();
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      assertTrue(c.logs().contains("\"detail\":\"SELECT 1 ok\""), c.logs());
      assertTrue(c.logs().contains("postgres://postgres:***@127.0.0.1"), "password redacted in logs");
      assertFalse(c.logs().contains("s3cret"), "password leaked into logs");
    }
  }

  @Test
  void redis_startsLateWithPassword_pong_thenExit0() throws Exception {
    try (RedisServer redis = RedisServer.create("hunter2");
         ContainerRun c = hostNet("--admin-address", "off", "redis://:hunter2@127.0.0.1:" + redis.port())) {
      awaitLog(c, "\"reason\":\"connection refused\"");
      redis.start();
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      assertTrue(c.logs().contains("\"detail\":\"PONG\""), c.logs());
    }
  }

  @Test
  void dns_nameThatResolvesLater_isRetriedUntilItDoes() {
    DockerClient docker = DockerClientFactory.instance().client();
    String network = "podkit-it-" + UUID.randomUUID().toString().substring(0, 8);
    String netId = docker.createNetworkCmd().withName(network).exec().getId();
    try (ContainerRun c = ContainerRun.of(IMAGE).network(network)
        .args("--admin-address", "off", "tcp://late-db:8080", "dns://late-db").start()) {
      awaitLog(c, "\"reason\":\"dns: cannot resolve late-db\"");
      try (ContainerRun db = ContainerRun.of(LocalImages.busybox()).network(network)
          .customize(cmd -> cmd.withAliases("late-db")).args("httpd", "-f", "-p", "8080").start()) {
        assertEquals(0, c.awaitExit(EXIT), c.logs());
        assertTrue(db.running());
      }
    } finally {
      docker.removeNetworkCmd(netId).exec();
    }
  }

  @Test
  void timeout_exits124_withOneLinePerTargetAndItsReason() {
    int closed = Ports.free();
    try (ContainerRun c = hostNet("--admin-address", "off", "--timeout", "2s", "tcp://127.0.0.1:" + closed,
        "dns://localhost")) {
      assertEquals(124, c.awaitExit(EXIT), c.logs());
      String logs = c.logs();
      assertTrue(logs.contains("\"level\":\"ERROR\",\"logger\":\"init-waiter\",\"message\":\"not ready\",\"target\":\"tcp://127.0.0.1:"
          + closed + "\",\"reason\":\"connection refused\""), logs);
      assertFalse(logs.contains("\"message\":\"not ready\",\"target\":\"dns://localhost\""), logs);
    }
  }

  @Test
  void sigterm_whileWaiting_exitsPromptly() {
    try (ContainerRun c = hostNet("--admin-address", "off", "tcp://127.0.0.1:" + Ports.free())) {
      awaitLog(c, "\"reason\":\"connection refused\"");
      long t0 = System.nanoTime();
      c.signal("TERM");
      assertEquals(143, c.awaitExit(EXIT));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "exit took " + took);
      assertTrue(c.logs().contains("\"signal\":\"SIGTERM\""), c.logs());
    }
  }
}
