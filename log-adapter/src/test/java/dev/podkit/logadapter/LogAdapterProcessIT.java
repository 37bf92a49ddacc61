package dev.podkit.logadapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.JavaProcess;
import dev.podkit.testfixtures.RecordingHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log-adapter as a real process: stdin and followed files, outputs, exit codes, signals. */
class LogAdapterProcessIT {
  private static final String MAIN = LogAdapterMain.class.getName();
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final JsonFactory JSON = new JsonFactory();
  @TempDir Path dir;

  private static JavaProcess start(String... args) {
    return JavaProcess.start(MAIN, Map.of("POD_NAME", "web-1"), args);
  }

  /** Parses a JSON line into its top-level fields (values as text); fails on invalid JSON. */
  static Map<String, String> fields(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
          out.put(name, "<nested>");
        } else {
          out.put(name, p.getText());
        }
      }
      assertEquals(null, p.nextToken(), "one object per line: " + line);
    } catch (IOException e) {
      throw new AssertionError("invalid JSON: " + line, e);
    }
    return out;
  }

  @Test
  void stdin_plainLinesWithQuotesAndBadBytes_areValidJsonAndNothingIsLost() {
    try (JavaProcess p = start("--admin-address", "off", "-")) {
      byte[] bad = {'x', (byte) 0xFF, 'y', '\n'};
      p.stdin("say \"hi\" \\o/\n\ttabbed\nraw_log_line\n".getBytes(StandardCharsets.UTF_8), false);
      p.stdin(bad, false);
      p.stdin("no newline at the end".getBytes(StandardCharsets.UTF_8), true);
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = p.stdout().lines().toList();
      assertEquals(List.of("{\"msg\":\"say \\\"hi\\\" \\\\o/\"}", "{\"msg\":\"\\ttabbed\"}", "{\"msg\":\"raw_log_line\"}",
          "{\"msg\":\"x\uFFFDy\"}", "{\"msg\":\"no newline at the end\"}"), lines);
      lines.forEach(LogAdapterProcessIT::fields);
      assertTrue(p.stderr().contains("\"message\":\"started\""), "own logs on stderr: " + p.stderr());
    }
  }

  @Test
  void file_followedThroughRotationAndTruncation_everyLineOnceInOrder() throws IOException {
    Path log = dir.resolve("app.log");
    try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--schema", "gcp",
        "--field-env", "pod=POD_NAME", log.toString())) {
      append(log, 0, 100);
      Await.until(Duration.ofSeconds(20), "first 100 lines", () -> p.stdout().lines().count() >= 100);
      Files.move(log, dir.resolve("app.log.1"));
      append(dir.resolve("app.log.1"), 100, 110); // the writer still holds the old file
      append(log, 110, 200);
      Await.until(Duration.ofSeconds(20), "200 lines", () -> p.stdout().lines().count() >= 200);
      Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING); // copytruncate
      append(log, 200, 250);
      Await.until(Duration.ofSeconds(20), "250 lines", () -> p.stdout().lines().count() >= 250);
      p.terminateCleanly(EXIT);
      List<String> messages = new ArrayList<>();
      for (String line : p.stdout().lines().toList()) {
        Map<String, String> f = fields(line);
        assertEquals("web-1", f.get("pod"), line);
        messages.add(f.get("message"));
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 250; i++) expected.add("line " + i);
      assertEquals(expected, messages);
    }
  }

  @Test
  void http_endpointDownThenUp_everyLineDeliveredAsNdjson() throws IOException {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      Path log = dir.resolve("app.log");
      append(log, 0, 300);
      try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--batch-linger", "50ms",
          "--output", server.url("/ingest"), log.toString())) {
        Await.until(Duration.ofSeconds(20), "refused POSTs", () -> server.refused() >= 2);
        server.status(200);
        Await.until(Duration.ofSeconds(30), "300 lines delivered", () -> server.lines().size() >= 300);
        p.terminateCleanly(EXIT);
      }
      List<String> lines = server.lines();
      assertEquals(300, lines.size());
      for (int i = 0; i < 300; i++) {
        assertEquals("line " + i, fields(lines.get(i)).get("msg"));
      }
      assertTrue(server.contentTypes().stream().allMatch("application/x-ndjson"::equals), server.contentTypes().toString());
    }
  }

  /**
   * An endpoint answering 429 with Retry-After: 2 is asked again no sooner than 2 s later (the
   * backoff alone would retry after 0.2 s, then 0.4 s); once it takes batches, they come over
   * one kept-alive connection.
   */
  @Test
  void http_retryAfterHonoured_thenBatchesOverOneKeptAliveConnection() throws IOException {
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(429);
      server.retryAfter("2");
      Path log = dir.resolve("app.log");
      append(log, 0, 10);
      try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--batch-linger", "50ms",
          "--output", server.url("/ingest"), log.toString())) {
        Await.until(Duration.ofSeconds(20), "two refused POSTs", () -> server.refused() >= 2);
        List<Long> at = server.refusedAtNanos();
        assertTrue(at.get(1) - at.get(0) >= 1_900_000_000L, "asked again after " + (at.get(1) - at.get(0)) / 1e6 + " ms");
        server.status(200);
        Await.until(Duration.ofSeconds(20), "the first 10 lines", () -> server.lines().size() >= 10);
        int before = server.connections();
        for (int batch = 1; batch <= 3; batch++) {
          append(log, batch * 10, batch * 10 + 10);
          int want = batch * 10 + 10;
          Await.until(Duration.ofSeconds(20), want + " lines", () -> server.lines().size() >= want);
        }
        assertEquals(before, server.connections(), "three more batches, no new connection");
        p.terminateCleanly(EXIT);
      }
      assertEquals(40, server.lines().size());
    }
  }

  @Test
  void nginx_toFileWithMetrics_typedFieldsParseErrorsAndCountsOnTheAdminPort() throws IOException {
    Path log = dir.resolve("access.log");
    Path out = dir.resolve("out.ndjson");
    Files.writeString(log, """
        10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET /a HTTP/1.1" 200 12 "-" "curl/8" 0.120
        10.0.0.2 - bob [01/Jan/2024:00:00:01 +0000] "POST /b HTTP/1.1" 503 0 "-" "curl/8" 2.5
        this line is not an access log
        10.0.0.3 - - [01/Jan/2024:00:00:02 +0000] "GET /c HTTP/1.1" 404 7 "-" "curl/8" 0.004
        """);
    int admin = dev.podkit.testfixtures.Ports.free();
    try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--format", "nginx", "--schema", "ecs",
        "--output", "file://" + out, "--poll-interval", "20ms", log.toString())) {
      Await.until(Duration.ofSeconds(20), "4 lines written", () -> lines(out).size() >= 4);
      String metrics = Await.get(Duration.ofSeconds(10), "metrics", () -> scrape(admin, "/metrics"),
          m -> m.contains("podkit_log_adapter_lines_read_total{image=\"log-adapter\"} 4.0"));
      assertTrue(metrics.contains("podkit_log_adapter_parse_errors_total{format=\"nginx\",image=\"log-adapter\"} 1.0"), metrics);
      assertTrue(metrics.contains("podkit_log_adapter_events_total{image=\"log-adapter\",severity=\"error\"} 1.0"), metrics);
      assertTrue(metrics.contains("podkit_log_adapter_events_total{image=\"log-adapter\",severity=\"warning\"} 1.0"), metrics);
      assertTrue(metrics.contains("podkit_log_adapter_http_responses_total{image=\"log-adapter\",status_class=\"5xx\"} 1.0"), metrics);
      assertTrue(metrics.contains("podkit_log_adapter_http_request_duration_seconds_count{image=\"log-adapter\"} 3"), metrics);
      assertTrue(metrics.contains("podkit_log_adapter_http_request_duration_seconds_bucket{image=\"log-adapter\",le=\"0.25\"} 2"), metrics);
      p.terminateCleanly(EXIT);
    }
    List<String> lines = lines(out);
    assertEquals(4, lines.size());
    Map<String, String> first = fields(lines.get(0));
    assertEquals("2024-01-01T00:00:00Z", first.get("@timestamp"));
    assertEquals("info", first.get("log.level"));
    assertEquals("GET", first.get("http.request.method"));
    assertEquals("200", first.get("http.response.status_code"));
    assertTrue(lines.get(0).contains("\"http.response.status_code\":200,"), "a number: " + lines.get(0));
    assertEquals("120000000", first.get("event.duration"));
    Map<String, String> bad = fields(lines.get(2));
    assertEquals("this line is not an access log", bad.get("message"));
    assertEquals("true", bad.get("parse_error"));
    assertEquals("bob", fields(lines.get(1)).get("user.name"));
  }

  @Test
  void multiline_stackTraceBecomesOneEvent() throws IOException {
    Path log = dir.resolve("app.log");
    Files.writeString(log, """
        2024-01-01 00:00:00 ERROR payment failed
        java.lang.IllegalStateException: boom
        	at com.x.Pay.run(Pay.java:42)
        	at com.x.Main.main(Main.java:7)
        2024-01-01 00:00:01 INFO next
        """);
    try (JavaProcess p = start("--admin-address", "off", "--multiline-start", "^\\d{4}-", "--multiline-timeout", "100ms",
        "--poll-interval", "20ms", log.toString())) {
      Await.until(Duration.ofSeconds(20), "2 events", () -> p.stdout().lines().count() >= 2);
      p.terminateCleanly(EXIT);
      List<String> lines = p.stdout().lines().toList();
      assertEquals(2, lines.size(), p.stdout());
      Map<String, String> first = fields(lines.get(0));
      assertEquals("2024-01-01 00:00:00 ERROR payment failed\njava.lang.IllegalStateException: boom\n"
          + "\tat com.x.Pay.run(Pay.java:42)\n\tat com.x.Main.main(Main.java:7)", first.get("msg"));
      assertEquals("ERROR", first.get("severity"));
      assertEquals("INFO", fields(lines.get(1)).get("severity"));
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String scrape(int port, String path) {
    try {
      var c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void cri_partAndItsFinalPartASecondApart_oneEvent() throws IOException {
    Path log = dir.resolve("0.log");
    Files.writeString(log, "");
    try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--format", "cri",
        "--schema", "plain", "--message-key", "message", log.toString())) {
      Await.until(Duration.ofSeconds(20), "started", () -> p.stderr().contains("\"message\":\"started\""));
      Files.writeString(log, "2024-01-01T00:00:00.000000001Z stdout P first half, \n", StandardOpenOption.APPEND);
      // Many polls find nothing new while the part waits for its end (the runtime writes parts
      // together, but a read can fall between two).
      Await.during(Duration.ofSeconds(1), "the part held for its final part", () -> p.stdout().isEmpty());
      Files.writeString(log, "2024-01-01T00:00:00.000000002Z stdout F second half\n", StandardOpenOption.APPEND);
      Await.until(Duration.ofSeconds(20), "the merged event", () -> p.stdout().lines().count() >= 1);
      p.terminateCleanly(EXIT);
      List<String> lines = p.stdout().lines().toList();
      assertEquals(1, lines.size(), lines.toString());
      assertEquals("first half, second half", fields(lines.getFirst()).get("message"), lines.getFirst());
    }
  }

  @Test
  void badFlags_exit2ListingEveryProblem() {
    try (JavaProcess p = start("--format", "nope", "--schema", "xml", "--output", "ftp://x", "--field-env", "a=NOT_SET_ANYWHERE",
        "a.log", "b.log")) {
      assertEquals(2, p.awaitExit(EXIT));
      String err = p.stderr();
      assertTrue(err.contains("log-adapter: error: --schema: not one of plain|gcp|ecs: 'xml'"), err);
      assertTrue(err.contains("--format: unknown format 'nope' (known: plain, combined"), err);
      assertTrue(err.contains("one input at most"), err);
      assertTrue(err.contains("--output: 'ftp://x' is not stdout"), err);
      assertTrue(err.contains("--field-env: a=NOT_SET_ANYWHERE: NOT_SET_ANYWHERE is not set"), err);
      assertTrue(err.endsWith("Run 'log-adapter --help' for usage.\n"), err);
    }
  }

  private static void append(Path file, int from, int to) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) b.append("line ").append(i).append('\n');
    Files.writeString(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
