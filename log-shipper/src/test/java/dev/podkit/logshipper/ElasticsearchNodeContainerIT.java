package dev.podkit.logshipper;

import static org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner.newConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.ContainerRun;
import dev.podkit.testfixtures.PodkitImages;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.SharedFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built log-shipper image shipping a file to a real Elasticsearch 7.10 node, which
 * elasticsearch-cluster-runner runs inside this JVM on loopback; what was stored is checked with
 * Elasticsearch's own {@code _count} and {@code _search}.
 *
 * <p>The file is in CRI format, so each line's time, and with it its document id, is the same in
 * every run of the shipper.
 */
class ElasticsearchNodeContainerIT {
  private static final String IMAGE = PodkitImages.of("log-shipper");
  private static final Duration EXIT = Duration.ofSeconds(60);
  /** The good lines of the log file: the numbers 1 to {@value}. */
  private static final int LINES = 300;
  private static final Pattern MESSAGE = Pattern.compile("\"message\":\"([^\"]*)\"");

  @TempDir static Path home;
  /** The single node; null until started, and when it failed to start. */
  private static ElasticsearchClusterRunner node;
  private static int esPort;
  @TempDir Path dir;

  @BeforeAll
  static void startNode() {
    // Elasticsearch 7.10's own asserts fail on cgroup v2 hosts (OsProbe expects v1 cpuacct files);
    // failsafe runs with -ea, so they are turned off for its classes, before any is loaded.
    ElasticsearchNodeContainerIT.class.getClassLoader().setPackageAssertionStatus("org.elasticsearch", false);
    esPort = Ports.free();
    int transportPort = Ports.free();
    node = new ElasticsearchClusterRunner();
    node.onBuild((i, s) -> s.put("network.host", "127.0.0.1")
            .put("http.port", String.valueOf(esPort))
            .put("transport.port", String.valueOf(transportPort))
            .put("discovery.type", "single-node"))
        .build(newConfigs().numOfNode(1).basePath(home.resolve("es").toString()).clusterName("podkit-it"));
    node.ensureYellow();
  }

  @AfterAll
  static void stopNode() throws IOException {
    if (node != null) {
      node.close();
      node.clean();
    }
  }

  @Test
  void elasticsearch_mappingRefusesOneLine_storesEveryOtherLineOnceAndLogsTheRefusal() throws IOException {
    String index = "mapping-refusal";
    // message as integer: the numbered lines fit, the one word line is a mapper_parsing_exception (400).
    createIndex(index, "{\"properties\":{\"message\":{\"type\":\"integer\"}}}");
    Path logs = logFile(true);

    String log = ship(logs, index, "--on-refused", "drop"); // by default the refused line is retried

    refresh(index);
    assertEquals(LINES, count(index));
    assertEquals(numbers(), storedMessages(index));
    assertTrue(log.lines().anyMatch(l -> l.contains("sink refused lines for good; dropped")
        && l.contains("mapper_parsing_exception")), log);
  }

  @Test
  void elasticsearch_sameFileShippedTwice_storesEachLineOnce() throws IOException {
    String index = "shipped-twice";
    createIndex(index, "{\"properties\":{\"message\":{\"type\":\"keyword\"}}}");
    Path logs = logFile(false);

    ship(logs, index);
    // No checkpoint file: the second run reads the file from its start again, and every item
    // answers 409 (same deterministic id), which counts as delivered.
    String second = ship(logs, index);

    refresh(index);
    assertEquals(LINES, count(index));
    assertEquals(numbers().stream().sorted().toList(), storedMessages(index));
    assertTrue(second.lines().noneMatch(l -> l.contains("sink refused lines for good")), second);
  }

  /** Writes {@code app.log}: lines 1 to {@link #LINES}, and a word line in the middle if {@code bad}. */
  private Path logFile(boolean bad) throws IOException {
    Path logs = SharedFolder.create(dir, "logs");
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= LINES; i++) {
      b.append(String.format("2024-01-01T00:00:00.%09dZ stdout F %d%n", i, i));
      if (bad && i == LINES / 2) {
        b.append("2024-01-01T00:00:01.000000000Z stdout F MAPPING-ERROR\n");
      }
    }
    Files.writeString(logs.resolve("app.log"), b);
    return logs;
  }

  /** Runs the image over {@code app.log} until it exits at the file's end; returns its log. */
  private static String ship(Path logs, String index, String... more) {
    List<String> args = new ArrayList<>(List.of("--admin-address", "127.0.0.1:" + Ports.free(), "--sink",
        "elasticsearch", "--url", "http://127.0.0.1:" + esPort, "--es-index", index, "--format", "cri", "--exit-at-eof"));
    args.addAll(List.of(more));
    args.add("/var/log/app/app.log");
    try (ContainerRun shipper = ContainerRun.of(IMAGE).network("host").bind(logs, "/var/log/app")
        .args(args.toArray(String[]::new))
        .start()) {
      assertEquals(0, shipper.awaitExit(EXIT), shipper.logs());
      return shipper.logs();
    }
  }

  /** The good lines' messages, "1" to "300", in the order of their numbers. */
  private static List<String> numbers() {
    List<String> want = new ArrayList<>();
    for (int i = 1; i <= LINES; i++) {
      want.add(Integer.toString(i));
    }
    return want;
  }

  private static void createIndex(String index, String mappings) throws IOException {
    Response r = http("PUT", "/" + index,
        "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":" + mappings + "}");
    assertEquals(200, r.status(), r.body());
  }

  private static void refresh(String index) throws IOException {
    Response r = http("POST", "/" + index + "/_refresh", null);
    assertEquals(200, r.status(), r.body());
  }

  private static int count(String index) throws IOException {
    Response r = http("GET", "/" + index + "/_count", null);
    assertEquals(200, r.status(), r.body());
    Matcher m = Pattern.compile("\"count\":(\\d+)").matcher(r.body());
    assertTrue(m.find(), r.body());
    return Integer.parseInt(m.group(1));
  }

  /** Every stored document's message, sorted by the field as the index maps it. */
  private static List<String> storedMessages(String index) throws IOException {
    Response r = http("GET", "/" + index + "/_search?size=" + (LINES + 10) + "&sort=message:asc&_source=message", null);
    assertEquals(200, r.status(), r.body());
    List<String> got = new ArrayList<>();
    Matcher m = MESSAGE.matcher(r.body());
    while (m.find()) {
      got.add(m.group(1));
    }
    return got;
  }

  /** One answer of the node: status and body (the error body for 4xx and 5xx). */
  private record Response(int status, String body) {}

  private static Response http(String method, String path, String json) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + esPort + path).toURL().openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(5_000);
    c.setReadTimeout(30_000);
    if (json != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = c.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = c.getResponseCode();
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      c.disconnect();
    }
  }
}
