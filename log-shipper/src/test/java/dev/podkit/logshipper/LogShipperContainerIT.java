package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.image.BuildInfo;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.ContainerRun;
import dev.podkit.testfixtures.LocalImages;
import dev.podkit.testfixtures.LokiFixture;
import dev.podkit.testfixtures.PodkitImages;
import dev.podkit.testfixtures.RecordingHttpServer;
import dev.podkit.testfixtures.SharedFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built log-shipper image, read-only as uid 65532, beside a writer container sharing a folder
 * (the sidecar-logging pod of the usual examples, with a busybox writer standing in for nginx),
 * and shipping to a Loki-compatible endpoint that validates every push.
 */
class LogShipperContainerIT {
  private static final String IMAGE = PodkitImages.of("log-shipper");
  private static final Duration EXIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  private Path shared() {
    return SharedFolder.create(dir, "logs");
  }

  /** The access-log lines the writer appends: nginx's combined format. */
  private static String line(int i) {
    return "10.0.0." + (i % 250) + " - - [01/Jan/2024:00:00:00 +0000] \"GET /item/" + i + " HTTP/1.1\" 200 " + i + " \"-\" \"curl/8\"";
  }

  private static String writer(int n) {
    return "i=0; while [ $i -lt " + n + " ]; do echo \"10.0.0.$((i % 250)) - - [01/Jan/2024:00:00:00 +0000] "
        + "\\\"GET /item/$i HTTP/1.1\\\" 200 $i \\\"-\\\" \\\"curl/8\\\"\" >> /var/log/app/access.log; "
        + "if [ $i -eq 300 ]; then mv /var/log/app/access.log /var/log/app/access.log.1; fi; i=$((i+1)); done";
  }

  @Test
  void image_runsTheClassesJustBuilt_fromItsAotCache() {
    try (ContainerRun c = ContainerRun.of(IMAGE).args("--version")
        .env(Map.of("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info")).start()) {
      assertEquals(0, c.awaitExit(EXIT), c.logs());
      assertTrue(c.logs().contains("log-shipper " + BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")"), c.logs());
      assertTrue(c.logs().contains("dev.podkit.logshipper.LogShipperMain source: shared objects file"), "from the AOT cache");
    }
  }

  @Test
  void sidecarLoggingPod_printsEveryLineExactlyLikeTail() throws IOException {
    Path logs = shared();
    Files.writeString(logs.resolve("access.log"), "");
    try (ContainerRun shipper = ContainerRun.of(IMAGE).args("--poll-interval", "20ms",
        "/var/log/app/access.log").bind(logs, "/var/log/app").start()) {
      Await.until(Duration.ofSeconds(30), "following", () -> shipper.logs().contains("\"following file\""));
      try (ContainerRun app = ContainerRun.of(LocalImages.busybox()).writableRoot().entrypoint("sh")
          .args("-c", writer(600)).bind(logs, "/var/log/app").start()) {
        assertEquals(0, app.awaitExit(EXIT), app.logs());
      }
      Await.until(Duration.ofSeconds(30), "600 lines", () -> lines(shipper).size() >= 600);
      shipper.signal("TERM");
      assertEquals(0, shipper.awaitExit(EXIT), shipper.logs());
      List<String> want = new ArrayList<>();
      for (int i = 0; i < 600; i++) want.add(line(i));
      assertEquals(want, lines(shipper));
    }
  }

  @Test
  void loki_everyPushValid_everyLineArrivesWithItsLabels() throws IOException {
    Path logs = shared();
    try (LokiFixture loki = new LokiFixture()) {
      try (ContainerRun app = ContainerRun.of(LocalImages.busybox()).writableRoot().entrypoint("sh")
          .args("-c", writer(400)).bind(logs, "/var/log/app").start()) {
        assertEquals(0, app.awaitExit(EXIT), app.logs());
      }
      try (ContainerRun shipper = ContainerRun.of(IMAGE).network("host")
          .env(Map.of("POD_NAME", "web-1", "POD_NAMESPACE", "shop"))
          .args("--admin-address", "off", "--sink", "loki", "--url", loki.url(), "--loki-label", "job=web",
              "/var/log/app/*.log*").bind(logs, "/var/log/app").start()) {
        Await.until(Duration.ofSeconds(30), "400 lines in Loki", () -> loki.lines().size() >= 400);
        shipper.signal("TERM");
        assertEquals(0, shipper.awaitExit(EXIT), shipper.logs());
      }
      assertEquals(List.of(), loki.rejections());
      List<String> got = new ArrayList<>(loki.lines());
      got.sort(java.util.Comparator.comparingInt(l -> Integer.parseInt(l.replaceAll(".*GET /item/(\\d+) .*", "$1"))));
      List<String> want = new ArrayList<>();
      for (int i = 0; i < 400; i++) want.add(line(i));
      assertEquals(want, got);
      LokiFixture.Entry first = loki.entries().getFirst();
      assertEquals("web", first.labels().get("job"));
      assertEquals("web-1", first.labels().get("pod"));
      assertEquals("shop", first.labels().get("namespace"));
      assertTrue(first.timestamp().matches("\\d{19}"), first.timestamp());
    }
  }

  /**
   * The image killed with SIGKILL (docker kill) while a writer on the host appends and rotates by
   * rename every 2,000 lines, then started again on its checkpoint file: every line arrives, and
   * at most one batch's worth more than once.
   */
  @Test
  void kill9_ofTheImage_underAQuicklyRotatingWriter_losesNothing_repeatsAtMostOneBatch() throws Exception {
    Path logs = shared();
    Path state = SharedFolder.create(dir, "state");
    Path log = logs.resolve("app.log");
    int batch = 500;
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      String[] args = {"--admin-address", "off", "--poll-interval", "10ms", "--scan-interval", "50ms",
          "--checkpoint-file", "/var/lib/shipper/positions.json", "--sink", "http", "--url", server.url("/ingest"),
          "--batch-events", Integer.toString(batch), "/var/log/app/app.log"};
      appendLines(log, 0, 1);
      ContainerRun shipper = shipper(logs, state, args);
      int written = 1;
      try {
        for (int round = 0; round < 16; round++) {
          // The writer stays within 1,000 lines of what was delivered, so each rotation and the
          // kill find lines not read yet.
          int behind = written - 1000;
          ContainerRun running = shipper;
          String where = "round " + round + ", " + written + " lines written";
          Await.get(Duration.ofSeconds(60), "delivery within 1,000 lines of the writer (lines delivered)",
              () -> distinct(server).size(), n -> n >= behind, () -> where + "; the shipper's log:\n" + running.logs());
          appendLines(log, written, written + 1000);
          written += 1000;
          if (round % 2 == 1) {
            Files.move(log, logs.resolve("app.log." + round)); // rotation by rename
            appendLines(log, written, written + 1);
            written += 1;
          }
          if (round == 8) {
            shipper.signal("KILL"); // no chance to flush or save
            assertEquals(137, shipper.awaitExit(EXIT));
            shipper.close();
            shipper = shipper(logs, state, args);
          }
        }
        int all = written;
        Await.until(Duration.ofSeconds(90), "every line delivered", () -> distinct(server).size() >= all);
        shipper.signal("TERM");
        assertEquals(0, shipper.awaitExit(EXIT), shipper.logs());
      } finally {
        shipper.close();
      }
      Map<String, Integer> counts = new java.util.HashMap<>();
      for (String l : server.lines()) counts.merge(LogShipperProcessIT.message(l), 1, Integer::sum);
      for (int i = 0; i < written; i++) {
        assertTrue(counts.containsKey("line " + i), "lost: line " + i);
      }
      assertEquals(written, counts.size(), "no line that was not written");
      long repeated = counts.values().stream().filter(c -> c > 1).count();
      assertTrue(repeated <= batch, repeated + " lines delivered twice; at most one batch (" + batch + ") may be");
    }
  }

  private static ContainerRun shipper(Path logs, Path state, String[] args) {
    return ContainerRun.of(IMAGE).network("host").bind(logs, "/var/log/app").bind(state, "/var/lib/shipper")
        .args(args).start();
  }

  private static void appendLines(Path file, int from, int to) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) b.append("line ").append(i).append('\n');
    Files.writeString(file, b, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  private static java.util.Set<String> distinct(RecordingHttpServer server) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String l : server.lines()) out.add(LogShipperProcessIT.message(l));
    return out;
  }

  private static List<String> lines(ContainerRun c) {
    // The shipper's own log lines go to stderr, which the container log interleaves: they have a logger.
    return c.logs().lines().filter(l -> !l.contains("\"logger\":\"")).toList();
  }
}
