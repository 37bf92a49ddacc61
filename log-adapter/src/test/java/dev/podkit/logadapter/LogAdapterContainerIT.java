package dev.podkit.logadapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.HostConfig;
import dev.podkit.image.BuildInfo;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.ContainerRun;
import dev.podkit.testfixtures.LocalImages;
import dev.podkit.testfixtures.PodkitImages;
import dev.podkit.testfixtures.SharedFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built log-adapter image beside a writer container sharing a folder, as the two adapter pods
 * of the usual examples do (an emptyDir there, a bind-mounted folder here): the adapter runs
 * read-only as uid 65532 and its stdout is checked line by line.
 */
class LogAdapterContainerIT {
  private static final String IMAGE = PodkitImages.of("log-adapter");
  private static final Duration EXIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  private Path shared() {
    return SharedFolder.create(dir, "logs");
  }

  private static List<String> jsonLines(ContainerRun c) {
    // The adapter's own log lines (on stderr, which the container log interleaves) have a logger.
    return c.logs().lines().filter(l -> !l.contains("\"logger\":\"")).toList();
  }

  @Test
  void image_runsTheClassesJustBuilt_fromItsAotCache() {
    try (ContainerRun c = ContainerRun.of(IMAGE).args("--version")
        .env(Map.of("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info")).start()) {
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      assertTrue(c.logs().contains("log-adapter " + BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")"), c.logs());
      assertTrue(c.logs().contains("dev.podkit.logadapter.LogAdapterMain source: shared objects file"), "from the AOT cache");
    }
  }

  @Test
  void legacyAppPod_rawLinesBecomeJson_throughARotation() throws IOException {
    Path logs = shared();
    // The legacy app of the example: appends raw lines, and here also rotates its file once.
    String writer = "i=0; while [ $i -lt 40 ]; do echo \"raw_log_line $i\" >> /logs/app.log; "
        + "if [ $i -eq 19 ]; then mv /logs/app.log /logs/app.log.1; fi; i=$((i+1)); sleep 0.05; done";
    try (ContainerRun adapter = ContainerRun.of(IMAGE).args("--poll-interval", "50ms", "/logs/app.log")
        .bind(logs, "/logs").start();
         ContainerRun app = ContainerRun.of(LocalImages.busybox()).writableRoot()
             .entrypoint("sh").args("-c", writer).bind(logs, "/logs").start()) {
      assertEquals(0, app.awaitExit(EXIT), app.logs());
      Await.until(Duration.ofSeconds(30), "40 JSON lines", () -> jsonLines(adapter).size() >= 40);
      adapter.signal("TERM");
      assertEquals(0, adapter.awaitExit(EXIT), adapter.logs());
      List<String> lines = jsonLines(adapter);
      assertEquals(40, lines.size(), String.join("\n", lines));
      for (int i = 0; i < 40; i++) {
        assertEquals("{\"msg\":\"raw_log_line " + i + "\"}", lines.get(i));
      }
    }
  }

  @Test
  void jsonAppPod_linesGainSeverityForCloudLogging() throws IOException {
    Path logs = shared();
    String writer = "i=0; while [ $i -lt 10 ]; do echo \"{\\\"msg\\\":\\\"hello $i\\\",\\\"ts\\\":170406720$i}\" >> /var/log/app.log; "
        + "i=$((i+1)); done";
    try (ContainerRun app = ContainerRun.of(LocalImages.busybox()).writableRoot()
        .entrypoint("sh").args("-c", writer).bind(logs, "/var/log").start()) {
      assertEquals(0, app.awaitExit(EXIT), app.logs());
    }
    try (ContainerRun adapter = ContainerRun.of(IMAGE).args("--format", "json", "--schema", "gcp",
        "--default-severity", "INFO", "/var/log/app.log").bind(logs, "/var/log").start()) {
      Await.until(Duration.ofSeconds(30), "10 JSON lines", () -> jsonLines(adapter).size() >= 10);
      adapter.signal("TERM");
      assertEquals(0, adapter.awaitExit(EXIT), adapter.logs());
      List<String> lines = jsonLines(adapter);
      assertEquals(10, lines.size(), String.join("\n", lines));
      for (int i = 0; i < 10; i++) {
        Map<String, String> f = LogAdapterProcessIT.fields(lines.get(i));
        assertEquals("INFO", f.get("severity"), lines.get(i));
        assertEquals("hello " + i, f.get("message"), lines.get(i));
        assertEquals(java.time.Instant.ofEpochSecond(1704067200L + i).toString(), f.get("time"), lines.get(i));
      }
    }
  }
}
