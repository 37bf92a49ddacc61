package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.image.BuildInfo;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.ConditionalHttpServer;
import dev.podkit.testfixtures.ContainerRun;
import dev.podkit.testfixtures.GitRemote;
import dev.podkit.testfixtures.LocalImages;
import dev.podkit.testfixtures.PodkitImages;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.S3ProxyServer;
import dev.podkit.testfixtures.SharedFolder;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The built config-syncer image in the local Docker engine (uid 65532, read-only root file
 * system), in the two pods people copy: the init container that fills the web server's volume
 * before it starts, and the sidecar that keeps it in sync. Host networking reaches the origin
 * the test runs on loopback; the "pod's volume" is a host folder both containers mount.
 */
class ConfigSyncerContainerIT {
  private static final String IMAGE = PodkitImages.of("config-syncer");
  private static final Duration EXIT = Duration.ofSeconds(60);
  private static final String NGINX = "nginx:1.27";
  private static final String FS_GROUP = "2000";

  @TempDir Path dir;

  @Test
  void image_runsTheClassesJustBuilt_fromItsAotCache() {
    try (ContainerRun c = ContainerRun.of(IMAGE).args("--version")
        .env(Map.of("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info")).start()) {
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      String logs = c.logs();
      assertTrue(logs.contains("config-syncer " + BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")"), logs);
      assertTrue(logs.contains("dev.podkit.configsyncer.ConfigSyncerMain source: shared objects file"), "loaded from the AOT cache");
    }
  }

  @Test
  void initContainerPod_contentReadyBeforeTheWebServerStarts() throws Exception {
    Path html = SharedFolder.create(dir, "html");
    int web = Ports.free();
    try (ConditionalHttpServer origin = new ConditionalHttpServer()) {
      origin.content(new Archives().file("index.html", "<h1>synced</h1>").folder("img/").file("img/a.svg", "<svg/>").tarGz());
      // initContainers: config-syncer --once, to completion.
      try (ContainerRun init = ContainerRun.of(IMAGE).network("host").bind(html, "/usr/share/nginx/html")
          .args("--once", "--admin-address", "off", "--source", origin.url("/site.tar.gz"),
              "--target", "/usr/share/nginx/html").start()) {
        assertEquals(0, init.awaitExit(EXIT), init.logs());
      }
      // containers: the web server starts on a volume that already holds the site.
      try (ContainerRun server = ContainerRun.of(LocalImages.busybox()).network("host").bind(html, "/usr/share/nginx/html")
          .args("httpd", "-f", "-p", "127.0.0.1:" + web, "-h", "/usr/share/nginx/html").start()) {
        String page = Await.get(Duration.ofSeconds(20), "the page", () -> get(web, "/index.html"), b -> b != null);
        assertEquals("<h1>synced</h1>", page);
        assertEquals("<svg/>", get(web, "/img/a.svg"));
      }
    }
  }

  @Test
  void sidecarPod_changeAtTheSourceServedWithinOnePeriod_sigtermExits0() throws Exception {
    Path html = SharedFolder.create(dir, "html");
    int web = Ports.free();
    int admin = Ports.free();
    Duration period = Duration.ofSeconds(1);
    try (ConditionalHttpServer origin = new ConditionalHttpServer()) {
      origin.content(new Archives().file("index.html", "v1").tarGz());
      try (ContainerRun syncer = ContainerRun.of(IMAGE).network("host").bind(html, "/usr/share/nginx/html")
              .args("--period", "1s", "--admin-address", "127.0.0.1:" + admin, "--source", origin.url("/site.tar.gz"),
                  "--target", "/usr/share/nginx/html").start();
           ContainerRun server = ContainerRun.of(LocalImages.busybox()).network("host").bind(html, "/usr/share/nginx/html")
              .args("httpd", "-f", "-p", "127.0.0.1:" + web, "-h", "/usr/share/nginx/html").start()) {
        Await.until(EXIT, "startupz after the first sync", () -> status(admin, "/startupz") == 200);
        Await.until(EXIT, "v1 served", () -> "v1".equals(get(web, "/index.html")));

        origin.content(new Archives().file("index.html", "v2").tarGz());
        long t0 = System.nanoTime();
        Await.until(EXIT, "v2 served", () -> "v2".equals(get(web, "/index.html")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // The exact bound (period + 100 ms) is checked in ConfigSyncerProcessIT; here the web
        // server's own polling by the test adds its share.
        assertTrue(ms <= period.toMillis() + 500, "v2 served after " + ms + " ms");

        // The goal is 48 MiB: bench/config-syncer measures 46.6 MiB on a source that never
        // changed. Here a second version was published first, which leaves more heap touched:
        // 46 to 48.x MiB in these runs. The bound catches a regression (52 to 53 MiB when an
        // HTTP source still loaded JGit's signed jars) without failing on that spread.
        int polls = origin.notModifiedResponses();
        Await.until(EXIT, "three idle polls", () -> origin.notModifiedResponses() >= polls + 3);
        long rssKiB = rssKiB(syncer);
        assertTrue(rssKiB <= 50 * 1024, "idle RSS " + rssKiB / 1024 + " MiB");

        syncer.signal("TERM");
        assertEquals(0, syncer.awaitExit(EXIT), syncer.logs());
        assertTrue(syncer.logs().contains("\"signal\":\"SIGTERM\""), syncer.logs());
      }
    }
  }

  @Test
  void nginxSidecarPod_fsGroupVolume_siteServedByNginx_changeWithinOnePeriod() throws Exception {
    String nginx = nginxStandIn();
    // An emptyDir under a pod's fsGroup: owned by root and group 2000, setgid, no owner of ours.
    Path html = SharedFolder.create(dir, "html");
    exec("chown", "0:" + FS_GROUP, html.toString());
    exec("chmod", "2777", html.toString());
    int web = Ports.free();
    Path conf = SharedFolder.create(dir, "conf.d");
    Files.writeString(conf.resolve("default.conf"), "server {\n  listen 127.0.0.1:" + web + ";\n"
        + "  location / { root /usr/share/nginx/html; index index.html; }\n}\n");
    Duration period = Duration.ofSeconds(1);
    try (ConditionalHttpServer origin = new ConditionalHttpServer()) {
      origin.content(new Archives().file("index.html", "<h1>v1</h1>").folder("css/").file("css/site.css", "h1{}").tarGz());
      try (ContainerRun syncer = ContainerRun.of(IMAGE).network("host").bind(html, "/usr/share/nginx/html")
              .customize(c -> c.withHostConfig(c.getHostConfig().withGroupAdd(List.of(FS_GROUP))))
              .args("--period", "1s", "--admin-address", "off", "--source", origin.url("/site.tar.gz"),
                  "--target", "/usr/share/nginx/html").start();
           ContainerRun server = ContainerRun.of(nginx).network("host").writableRoot()
              .bind(html, "/usr/share/nginx/html").bind(conf, "/etc/nginx/conf.d")
              .customize(c -> c.withHostConfig(c.getHostConfig().withGroupAdd(List.of(FS_GROUP))))
              .args("nginx", "-g", "daemon off;").start()) {
        Await.until(EXIT, "v1 served by nginx", () -> "<h1>v1</h1>".equals(get(web, "/")));
        assertEquals("h1{}", get(web, "/css/site.css"));

        origin.content(new Archives().file("index.html", "<h1>v2</h1>").tarGz());
        long t0 = System.nanoTime();
        Await.until(EXIT, "v2 served by nginx", () -> "<h1>v2</h1>".equals(get(web, "/")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= period.toMillis() + 500, "v2 served after " + ms + " ms");
        assertEquals(null, get(web, "/css/site.css"), "a name the new version lacks is gone");

        Path published = html.resolve("..data").toRealPath().resolve("index.html");
        assertEquals(Integer.parseInt(FS_GROUP), Files.getAttribute(published, "unix:gid"), "the fsGroup, from the setgid folder");
        assertEquals(65532, Files.getAttribute(published, "unix:uid"));
        assertTrue(server.running() && syncer.running(), server.logs() + syncer.logs());
      }
    }
  }

  @Test
  void nginxInitContainerPod_contentReadyBeforeNginxStarts() throws Exception {
    String nginx = nginxStandIn();
    Path html = SharedFolder.create(dir, "html");
    int web = Ports.free();
    Path conf = SharedFolder.create(dir, "conf.d");
    Files.writeString(conf.resolve("default.conf"), "server {\n  listen 127.0.0.1:" + web + ";\n"
        + "  location / { root /usr/share/nginx/html; index index.html; }\n}\n");
    try (ConditionalHttpServer origin = new ConditionalHttpServer()) {
      origin.content(new Archives().file("index.html", "<h1>ready</h1>").tarGz());
      try (ContainerRun init = ContainerRun.of(IMAGE).network("host").bind(html, "/usr/share/nginx/html")
          .args("--once", "--admin-address", "off", "--source", origin.url("/site.tar.gz"),
              "--target", "/usr/share/nginx/html").start()) {
        assertEquals(0, init.awaitExit(EXIT), init.logs());
      }
      try (ContainerRun server = ContainerRun.of(nginx).network("host").writableRoot()
          .bind(html, "/usr/share/nginx/html").bind(conf, "/etc/nginx/conf.d").args("nginx", "-g", "daemon off;").start()) {
        // The first answer nginx gives is already the synced page: never its 403/404 of an empty root.
        String first = Await.get(EXIT, "nginx answering", () -> answer(web, "/"), a -> a != null);
        assertEquals("200 <h1>ready</h1>", first);
      }
    }
  }

  @Test
  void readOnlyRootAsNonRoot_aBadVersionIsRefusedAndTheGoodOneServed() throws Exception {
    Path config = SharedFolder.create(dir, "config");
    try (ConditionalHttpServer origin = new ConditionalHttpServer()) {
      origin.content(new Archives().file("app.json", "{\"ok\":true}").symlink("evil", "../../etc/passwd").tarGz());
      try (ContainerRun c = ContainerRun.of(IMAGE).network("host").bind(config, "/config")
          .args("--once", "--timeout", "3s", "--admin-address", "off", "--source", origin.url("/c.tar.gz"),
              "--target", "/config").start()) {
        assertEquals(124, c.awaitExit(EXIT), c.logs());
        assertTrue(c.logs().contains("\"reason\":\"unsafe_path\""), c.logs());
      }
      origin.content(new Archives().file("app.json", "{\"ok\":true}").tarGz());
      try (ContainerRun c = ContainerRun.of(IMAGE).network("host").bind(config, "/config")
          .args("--once", "--check", "json", "--admin-address", "off", "--source", origin.url("/c.tar.gz"),
              "--target", "/config").start()) {
        assertEquals(0, c.awaitExit(EXIT), c.logs());
      }
      assertEquals("{\"ok\":true}", Files.readString(config.resolve("app.json")));
    }
  }

  @Test
  void gitSidecar_readOnlyRootAsNonRoot_newCommitPublished() throws Exception {
    Path config = SharedFolder.create(dir, "config");
    try (GitRemote remote = GitRemote.create(dir.resolve("remote"))) {
      remote.commit("one", "deploy/app.yaml", "v: 1\n", "README.md", "x");
      String url = remote.daemon();
      try (ContainerRun c = ContainerRun.of(IMAGE).network("host").bind(config, "/config")
          .args("--period", "1s", "--admin-address", "off", "--source", url, "--git-ref", "main", "--git-path", "deploy",
              "--check", "yaml", "--target", "/config").start()) {
        Await.until(EXIT, "v1", () -> "v: 1\n".equals(read(config.resolve("app.yaml"))));
        String c2 = remote.commit("two", "deploy/app.yaml", "v: 2\n");
        Await.until(EXIT, "v2", () -> "v: 2\n".equals(read(config.resolve("app.yaml"))));
        // The log line follows the swap the test saw: wait for it rather than read the log at once.
        Await.until(EXIT, "the log names the new commit", () -> c.logs().contains("\"version\":\"" + c2.substring(0, 12) + "\""));
        assertTrue(!Files.exists(config.resolve("README.md")), "only --git-path is published");
        assertTrue(!c.logs().contains("SLF4J"), "JGit's SLF4J stays quiet: " + c.logs());
      }
    }
  }

  @Test
  void s3SidecarPod_siteFromABucketPrefix_servedByTheWebServer() throws Exception {
    Path html = SharedFolder.create(dir, "html");
    int web = Ports.free();
    try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      s3.createBucket("www");
      s3.put("www", "site/index.html", "<h1>from s3</h1>".getBytes(StandardCharsets.UTF_8));
      try (ContainerRun syncer = ContainerRun.of(IMAGE).network("host").bind(html, "/usr/share/nginx/html")
              .env(Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY))
              .args("--period", "1s", "--admin-address", "off", "--source", "s3://www/site/", "--s3-endpoint", s3.endpoint(),
                  "--target", "/usr/share/nginx/html").start();
           ContainerRun server = ContainerRun.of(LocalImages.busybox()).network("host").bind(html, "/usr/share/nginx/html")
              .args("httpd", "-f", "-p", "127.0.0.1:" + web, "-h", "/usr/share/nginx/html").start()) {
        Await.until(EXIT, "page from s3", () -> "<h1>from s3</h1>".equals(get(web, "/index.html")));
        s3.put("www", "site/index.html", "<h1>updated</h1>".getBytes(StandardCharsets.UTF_8));
        Await.until(EXIT, "updated page", () -> "<h1>updated</h1>".equals(get(web, "/index.html")));
        assertTrue(!syncer.logs().contains(S3ProxyServer.SECRET_KEY), "the secret never reaches the log");
      }
    }
  }

  /**
   * The nginx stand-in of the examples (Debian's nginx in the official image's layout, built by
   * examples/stand-ins/nginx.sh, which skips an image that is up to date).
   */
  private static String nginxStandIn() {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("examples/stand-ins/nginx.sh");
    if (Files.isRegularFile(script)) {
      exec("bash", script.toString());
    } else {
      // Before the examples' stand-ins are merged: an image the script made earlier, if any.
      Assumptions.assumeTrue(exitCode("docker", "image", "inspect", NGINX) == 0, "no " + script + " and no " + NGINX);
    }
    return NGINX;
  }

  private static void exec(String... command) {
    StringBuilder out = new StringBuilder();
    assertEquals(0, exitCode(out, command), String.join(" ", command) + ": " + out);
  }

  private static int exitCode(String... command) {
    return exitCode(new StringBuilder(), command);
  }

  private static int exitCode(StringBuilder out, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** "STATUS BODY" of a GET, or null when nothing answers. */
  private static String answer(int port, String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        return status + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      return null;
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** The resident memory of the container's java process now. */
  private static long rssKiB(ContainerRun c) throws Exception {
    long pid = DockerClientFactory.instance().client().inspectContainerCmd(c.id()).exec().getState().getPidLong();
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    throw new AssertionError("no VmRSS for pid " + pid);
  }

  private static String get(int port, String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      if (c.getResponseCode() != 200) return null;
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return null;
    }
  }

  private static int status(int port, String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      return c.getResponseCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
