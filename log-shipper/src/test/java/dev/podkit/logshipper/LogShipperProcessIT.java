package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.JavaProcess;
import dev.podkit.testfixtures.LogWriter;
import dev.podkit.testfixtures.Ports;
import dev.podkit.testfixtures.RecordingHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log-shipper as a real process: stdout like tail -F, checkpoints, kill -9, a sink that is down. */
class LogShipperProcessIT {
  private static final String MAIN = LogShipperMain.class.getName();
  private static final Duration EXIT = Duration.ofSeconds(30);
  @TempDir Path dir;

  private static JavaProcess start(String... args) {
    return JavaProcess.start(MAIN, Map.of("POD_NAME", "web-1"), args);
  }

  /**
   * Runs the shipper on {@code args} (admin off, 20 ms polls) until it printed {@code lines} lines,
   * stops it with SIGTERM (exit 0 asserted), and returns what it printed, line by line.
   */
  private static List<String> shipUntil(int lines, String... args) {
    List<String> all = new ArrayList<>(List.of("--admin-address", "off", "--poll-interval", "20ms"));
    all.addAll(List.of(args));
    try (JavaProcess p = start(all.toArray(String[]::new))) {
      Await.until(Duration.ofSeconds(20), lines + " lines", () -> p.stdout().lines().count() >= lines);
      p.terminateCleanly(EXIT);
      return p.stdout().lines().toList();
    }
  }

  private static void append(Path file, int from, int to) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) b.append("line ").append(i).append('\n');
    Files.writeString(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<String> expected(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) out.add("line " + i);
    return out;
  }

  @Test
  void stdout_crlfLinesKeepTheirCr_asTailPrintsThem_json_dropsIt() throws IOException {
    Path log = dir.resolve("windows.log");
    String text = "crlf line\r\nplain line\na CR\rinside\r\n" + "x".repeat(3000) + "\r\nlast\r\n";
    Files.writeString(log, text);
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      assertEquals(text, p.stdout());
    }
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--json", log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> messages = p.stdout().lines().map(LogShipperProcessIT::message).toList();
      assertEquals(List.of("crlf line", "plain line", "a CR\rinside", "x".repeat(3000), "last"), messages);
    }
  }

  @Test
  void stdout_printsTheLinesExactlyLikeTail_throughRotationAndCopytruncate() throws IOException {
    Path log = dir.resolve("access.log");
    append(log, 0, 50);
    try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--scan-interval", "100ms", log.toString())) {
      Await.until(Duration.ofSeconds(20), "50 lines", () -> p.stdout().lines().count() >= 50);
      Files.move(log, dir.resolve("access.log.1"));
      append(dir.resolve("access.log.1"), 50, 60);
      append(log, 60, 100);
      Await.until(Duration.ofSeconds(20), "100 lines", () -> p.stdout().lines().count() >= 100);
      Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
      Files.write(log, new byte[] {'b', 'a', 'd', (byte) 0xFF, '\n'}, StandardOpenOption.APPEND);
      append(log, 100, 120);
      Await.until(Duration.ofSeconds(20), "121 lines", () -> p.stdout().lines().count() >= 121);
      p.terminateCleanly(EXIT);
      List<String> want = new ArrayList<>(expected(0, 100));
      want.add("bad\uFFFD");
      want.addAll(expected(100, 120));
      assertEquals(want, p.stdout().lines().toList());
      // The invalid byte itself is printed, as tail prints it (the U+FFFD above is this test's decoding).
      String bytes = new String(p.stdoutBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(bytes.contains("line 99\nbad\u00ff\nline 100\n"), "the raw byte 0xFF passed on");
      assertTrue(p.stderr().contains("\"message\":\"started\""), "own logs on stderr");
    }
  }

  /**
   * Raw stdout adds no newline the file does not have: a line longer than --max-line-bytes is
   * split into pieces (counted) that print as the one line, and a last line flushed before its
   * newline prints as it is and is completed by the rest once written, as tail prints both.
   */
  @Test
  void stdout_longLineAndFlushedPartialLine_printedAsTailPrintsThem_noNewlineAdded() throws IOException {
    Path log = dir.resolve("app.log");
    String text = "short 1\n" + "L".repeat(1000) + "\nshort 2\nno newline yet";
    Files.writeString(log, text);
    int admin = Ports.free();
    try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms",
        "--max-line-bytes", "100", "--partial-line-flush", "300ms", log.toString())) {
      Await.until(Duration.ofSeconds(20), "the partial line flushed",
          () -> value(scrape(admin), "podkit_log_shipper_partial_lines_flushed_total{image=\"log-shipper\"} ") == 1);
      Await.until(Duration.ofSeconds(10), "the partial line printed", () -> p.stdout().endsWith("no newline yet"));
      assertEquals(text, p.stdout());
      Files.writeString(log, ", now it has one\nshort 3\n", StandardOpenOption.APPEND);
      Await.until(Duration.ofSeconds(20), "short 3", () -> p.stdout().endsWith("short 3\n"));
      assertEquals(1, value(scrape(admin), "podkit_log_shipper_long_lines_total{action=\"split\",image=\"log-shipper\"} "));
      p.terminateCleanly(EXIT);
      assertEquals(Files.readString(log), p.stdout());
    }
  }

  /**
   * A file created after the start is followed at once through the folder watch: with a scan
   * interval of an hour, the periodic scan alone would not find it during the test.
   */
  @Test
  void newFile_foundAtOnceByTheFolderWatch_notOnlyAtTheNextScan() throws IOException {
    append(dir.resolve("a.log"), 0, 5);
    try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--scan-interval", "1h",
        dir + "/*.log")) {
      Await.until(Duration.ofSeconds(20), "a.log's 5 lines", () -> p.stdout().lines().count() >= 5);
      append(dir.resolve("b.log"), 5, 10);
      Files.createDirectories(dir.resolve("c.log")); // a folder by a matching name: looked at, not followed
      append(dir.resolve("d.txt"), 100, 101); // not matched
      Await.until(Duration.ofSeconds(10), "b.log's 5 lines", () -> p.stdout().lines().count() >= 10);
      p.terminateCleanly(EXIT);
      assertEquals(expected(0, 10), p.stdout().lines().toList());
    }
  }

  /**
   * Lines longer than --max-line-bytes and a last line without its newline, as JSON lines: with
   * --long-lines truncate a long line keeps its first bytes, flagged, and the rest is skipped;
   * the partial line is shipped once --partial-line-flush passes; all of it counted on /metrics.
   */
  @Test
  void longLinesTruncatedAndAPartialLineFlushed_flaggedAndCounted() throws IOException {
    Path log = dir.resolve("app.log");
    Files.writeString(log, "short 1\n" + "L".repeat(1000) + "\nshort 2\n" + "M".repeat(300) + "\nno newline yet");
    int admin = Ports.free();
    try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--json",
        "--max-line-bytes", "100", "--long-lines", "truncate", "--partial-line-flush", "300ms", log.toString())) {
      Await.until(Duration.ofSeconds(20), "5 lines", () -> p.stdout().lines().count() >= 5);
      String m = Await.get(Duration.ofSeconds(10), "the counts", () -> scrape(admin),
          t -> value(t, "podkit_log_shipper_partial_lines_flushed_total{image=\"log-shipper\"} ") == 1);
      assertEquals(2, value(m, "podkit_log_shipper_long_lines_total{action=\"truncated\",image=\"log-shipper\"} "), m);
      assertEquals(0, value(m, "podkit_log_shipper_long_lines_total{action=\"split\",image=\"log-shipper\"} "), m);
      assertEquals(900 + 200, value(m, "podkit_log_shipper_skipped_bytes_total{image=\"log-shipper\"} "), m);
      p.terminateCleanly(EXIT);
      List<String> out = p.stdout().lines().toList();
      assertEquals(List.of("short 1", "L".repeat(100), "short 2", "M".repeat(100), "no newline yet"),
          out.stream().map(LogShipperProcessIT::message).toList());
      assertEquals("true", field(out.get(1), "truncated"), out.get(1));
      assertEquals("true", field(out.get(3), "truncated"), out.get(3));
      assertEquals(null, field(out.get(0), "truncated"), out.get(0));
    }
  }

  @Test
  void checkpoint_restartResumesWithoutLossOrRepeats() throws IOException {
    Path log = dir.resolve("app.log");
    Path state = dir.resolve("positions.json");
    append(log, 0, 100);
    assertEquals(expected(0, 100), shipUntil(100, "--checkpoint-file", state.toString(), log.toString()));
    assertTrue(Files.exists(state), "checkpoint saved");
    append(log, 100, 150);
    assertEquals(expected(100, 150), shipUntil(50, "--checkpoint-file", state.toString(), log.toString()));
  }

  /**
   * Inode reuse while the shipper is down, as the shipper sees it: the checkpointed file's name
   * deleted, and under that name again a file on the same device and inode, longer and with other
   * lines. Resuming at the old offset would skip its first lines; its head differs from the
   * checkpoint's fingerprint, so it is read from its start. The inode is kept by a hard link while
   * the name is gone and its bytes are replaced, then linked back: the kernel hands a freed inode
   * to the next new file only sometimes (in a loaded CI run it did not within 10 s).
   */
  @Test
  void checkpoint_newFileOnTheOldInodeWhileDown_readFromItsStart() throws IOException {
    Path log = dir.resolve("app.log");
    Path state = dir.resolve("positions.json");
    append(log, 0, 100);
    Object inode = Files.getAttribute(log, "unix:ino");
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--checkpoint-file", state.toString(),
        log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      assertEquals(expected(0, 100), p.stdout().lines().toList());
    }
    Path kept = dir.resolve("inode.kept");
    Files.createLink(kept, log);
    Files.delete(log);
    Files.write(kept, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    append(kept, 1000, 1300);
    Files.createLink(log, kept);
    Files.delete(kept);
    assertEquals(inode, Files.getAttribute(log, "unix:ino"));
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--checkpoint-file", state.toString(),
        log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      assertEquals(expected(1000, 1300), p.stdout().lines().toList());
    }
  }

  @Test
  void checkpoint_fileRotatedAwayWhileDown_itsRestShippedBeforeTheNewFile() throws IOException {
    Path log = dir.resolve("app.log");
    Path state = dir.resolve("positions.json");
    append(log, 0, 100);
    shipUntil(100, "--checkpoint-file", state.toString(), log.toString());
    // While the shipper is down the file grows, is rotated by rename, and a new one begins.
    append(log, 100, 150);
    Files.move(log, dir.resolve("app.log.1"));
    append(log, 150, 170);
    assertEquals(expected(100, 170), shipUntil(70, "--checkpoint-file", state.toString(), log.toString()));
  }

  /**
   * The glob also matches the rotated name: access.log renamed to access.log.1 (as logrotate
   * does) is the same file under another name, so it goes on from where access.log left it, and
   * lines written to it late are shipped once too.
   */
  @Test
  void globMatchesRotatedName_renamedFileContinuesWhereItWasLeft_everyLineOnce() throws IOException {
    Path log = dir.resolve("access.log");
    Path rotated = dir.resolve("access.log.1");
    append(log, 0, 100);
    try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--scan-interval", "100ms",
        dir + "/*.log*")) {
      Await.until(Duration.ofSeconds(20), "100 lines", () -> distinctLines(p) >= 100);
      Files.move(log, rotated);
      append(log, 100, 150);
      append(rotated, 150, 170);
      // Once the new file is read, access.log has let the old one go: what is written to it now
      // only a follower of access.log.1 can ship.
      Await.until(Duration.ofSeconds(20), "170 lines", () -> distinctLines(p) >= 170);
      append(rotated, 170, 180);
      append(log, 180, 200);
      Await.until(Duration.ofSeconds(20), "200 lines", () -> distinctLines(p) >= 200);
      p.terminateCleanly(EXIT);
      assertEachOnce(200, p.stdout().lines().toList());
    }
  }

  /**
   * As above, across a restart: the checkpoints know access.log.1 by its file (device and inode),
   * so the second run ships only what was written since, nothing of access.log.1 again.
   */
  @Test
  void globMatchesRotatedName_restartFromCheckpoints_shipsNothingTwice() throws IOException {
    Path log = dir.resolve("access.log");
    Path rotated = dir.resolve("access.log.1");
    Path state = dir.resolve("state/positions.json");
    String[] args = {"--admin-address", "off", "--poll-interval", "20ms", "--scan-interval", "100ms",
        "--checkpoint-file", state.toString(), dir + "/*.log*"};
    append(log, 0, 100);
    List<String> shipped = new ArrayList<>();
    try (JavaProcess p = start(args)) {
      Await.until(Duration.ofSeconds(20), "100 lines", () -> distinctLines(p) >= 100);
      Files.move(log, rotated);
      append(log, 100, 150);
      Await.until(Duration.ofSeconds(20), "150 lines", () -> distinctLines(p) >= 150);
      p.terminateCleanly(EXIT);
      shipped.addAll(p.stdout().lines().toList());
    }
    append(rotated, 150, 170); // written while the shipper is down
    append(log, 170, 200);
    try (JavaProcess p = start(args)) {
      Await.until(Duration.ofSeconds(20), "50 new lines", () -> distinctLines(p) >= 50);
      append(rotated, 200, 210);
      append(log, 210, 220);
      Await.until(Duration.ofSeconds(20), "70 new lines", () -> distinctLines(p) >= 70);
      p.terminateCleanly(EXIT);
      shipped.addAll(p.stdout().lines().toList());
    }
    assertEachOnce(220, shipped);
  }

  private static long distinctLines(JavaProcess p) {
    return p.stdout().lines().distinct().count();
  }

  /** Asserts {@code lines} holds "line 0" to "line {@code n - 1}" each exactly once, in any order. */
  private static void assertEachOnce(int n, List<String> lines) {
    Map<String, Integer> counts = new HashMap<>();
    for (String l : lines) counts.merge(l, 1, Integer::sum);
    List<String> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    List<String> missing = expected(0, n).stream().filter(l -> !counts.containsKey(l)).toList();
    assertEquals("duplicates=0 missing=0", "duplicates=" + repeated.size() + " missing=" + missing.size(),
        "repeated " + repeated.stream().limit(10).toList() + ", missing " + missing.stream().limit(10).toList());
    assertEquals(n, lines.size(), "no other lines: " + lines);
  }

  @Test
  void kill9_underARotatingWriter_losesNothing_andRepeatsAtMostOneBatch() throws Exception {
    Path log = dir.resolve("app.log");
    Path state = dir.resolve("positions.json");
    int batch = 500;
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      String[] args = {"--admin-address", "off", "--poll-interval", "10ms", "--scan-interval", "50ms",
          "--checkpoint-file", state.toString(), "--sink", "http", "--url", server.url("/ingest"),
          "--batch-events", Integer.toString(batch), log.toString()};
      append(log, 0, 1);
      JavaProcess first = start(args);
      int written = 1;
      for (int round = 0; round < 20; round++) {
        // The writer runs at most one round (1,000 lines) ahead of what was delivered, so each
        // rotation and the kill find lines not read yet.
        int behind = written - 1000;
        Await.until(Duration.ofSeconds(30), "delivery within a round of the writer", () -> distinct(server).size() >= behind);
        append(log, written, written + 1000);
        written += 1000;
        if (round % 5 == 4) {
          Files.move(log, dir.resolve("app.log." + round)); // rotation by rename; the next round makes a new file
          append(log, written, written + 1);
          written += 1;
        }
        if (round == 10) {
          first.close(); // SIGKILL: no chance to flush or save
          first.awaitExit(EXIT);
          first = start(args);
        }
      }
      int all = written;
      JavaProcess second = first;
      Await.get(Duration.ofSeconds(60), "every line delivered (missing line numbers)", () -> missing(server, all),
          List::isEmpty, second::stderr);
      second.terminateCleanly(EXIT);
      Map<String, Integer> counts = new HashMap<>();
      for (String l : server.lines()) counts.merge(message(l), 1, Integer::sum);
      for (int i = 0; i < all; i++) {
        assertTrue(counts.containsKey("line " + i), "lost: line " + i);
      }
      long repeated = counts.values().stream().filter(c -> c > 1).count();
      assertTrue(repeated <= batch, repeated + " lines delivered twice; at most one batch (" + batch + ") may be");
    }
  }

  @Test
  void sinkDownThenBack_nothingLost() throws IOException {
    Path log = dir.resolve("app.log");
    append(log, 0, 3000);
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--sink", "http", "--url",
          server.url("/ingest"), "--batch-events", "1000", log.toString())) {
        Await.until(Duration.ofSeconds(20), "refused posts", () -> server.refused() >= 3);
        server.status(200);
        Await.until(Duration.ofSeconds(60), "3000 lines", () -> server.lines().size() >= 3000);
        p.terminateCleanly(EXIT);
      }
      List<String> got = server.lines().stream().map(LogShipperProcessIT::message).toList();
      assertEquals(expected(0, 3000), got);
      assertEquals("web-1", field(server.lines().getFirst(), "pod"));
    }
  }

  /**
   * --batch-bytes bounds the message bytes of each request (the JSON around them is not counted):
   * a batch is cut once it reached the limit, so it goes over by part of its last line at most.
   * And a long --batch-linger does not hold back the lines of a shipper with nothing more to read.
   */
  @Test
  void batchBytes_boundsEachRequestsMessageBytes_andAnIdleShipperPostsDespiteALongLinger() throws IOException {
    Path log = dir.resolve("app.log");
    StringBuilder b = new StringBuilder();
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      want.add(String.format("line %03d %s", i, "x".repeat(51))); // 60 bytes
      b.append(want.getLast()).append('\n');
    }
    Files.writeString(log, b); // 12,000 message bytes: 12 requests at least
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "20ms", "--sink", "http", "--url",
          server.url("/ingest"), "--batch-bytes", "1024", "--batch-linger", "1h", log.toString())) {
        Await.until(Duration.ofSeconds(20), "200 lines", () -> server.lines().size() >= 200);
        List<String> bodies = server.bodies();
        assertTrue(bodies.size() >= 12, bodies.size() + " requests for 12,000 bytes in batches of 1,024 at most");
        for (String body : bodies) {
          List<Integer> sizes = body.lines().map(l -> message(l).getBytes(StandardCharsets.UTF_8).length).toList();
          int beforeLast = sizes.stream().mapToInt(Integer::intValue).sum() - sizes.getLast();
          assertTrue(beforeLast < 1024, beforeLast + " message bytes before the last line of a request: " + body);
        }
        assertEquals(want, server.lines().stream().map(LogShipperProcessIT::message).toList());
        append(log, 0, 3);
        Await.until(Duration.ofSeconds(5), "3 more lines, well before the hour's linger", () -> server.lines().size() >= 203);
        p.terminateCleanly(EXIT);
      }
    }
  }

  /**
   * The lag of each file on /metrics: while the sink refuses and the memory limit holds reading
   * back, a large file shows its unread bytes and a small one read to its end shows 0; once the
   * sink takes the batches both are 0 and every line was counted read and sent; a deleted file's
   * series goes once it is let go.
   */
  @Test
  void metrics_lagPerFileAndLinesRead_whileTheSinkRefusesAndAfter_aDeletedFilesSeriesRemoved() throws IOException {
    Path small = dir.resolve("a-small.log"); // first in the scan's order: read before the limit holds reading back
    Path big = dir.resolve("big.log");
    append(small, 0, 10);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100_000; i++) b.append("line ").append(i).append(' ').append("x".repeat(70)).append('\n');
    Files.writeString(big, b); // about 8 MiB
    long bigSize = Files.size(big);
    int admin = Ports.free();
    String smallSeries = "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"" + small + "\"} ";
    String bigSeries = "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"" + big + "\"} ";
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--scan-interval",
          "100ms", "--sink", "http", "--url", server.url("/ingest"), "--memory-limit", "1048576", "--batch-bytes", "65536",
          dir + "/*.log")) {
        String held = Await.get(Duration.ofSeconds(20), "big.log's unread bytes in its lag", () -> scrape(admin),
            t -> value(t, bigSeries) > bigSize / 2 && value(t, smallSeries) == 0);
        assertTrue(value(held, bigSeries) <= bigSize, held);
        server.status(200);
        String done = Await.get(Duration.ofSeconds(60), "no lag once the sink takes the batches", () -> scrape(admin),
            t -> value(t, bigSeries) == 0 && value(t, smallSeries) == 0
                && value(t, "podkit_log_shipper_sent_lines_total{image=\"log-shipper\"} ") == 100_010);
        assertEquals(100_010, value(done, "podkit_log_shipper_read_lines_total{image=\"log-shipper\"} "), done);
        assertEquals(100_010, server.lines().size());
        long deleted = System.nanoTime();
        Files.delete(small);
        // A deleted file is kept open 10 s with no new byte (a writer may still append), then let go.
        Await.get(Duration.ofSeconds(20), "a-small.log's series gone after the gone timeout", () -> scrape(admin),
            t -> !t.contains(smallSeries) && t.contains(bigSeries));
        assertTrue(System.nanoTime() - deleted >= Duration.ofSeconds(10).toNanos(), "not before the gone timeout");
        p.terminateCleanly(EXIT);
      }
    }
  }

  /**
   * --gone-timeout: a deleted file is let go (its series gone from /metrics, its handle closed)
   * once it has been quiet that long, here 1 s instead of the default 10 s; lines appended to it
   * meanwhile through an open handle are still shipped.
   */
  @Test
  void goneTimeout_deletedFileLetGoAfterIt_linesAppendedMeanwhileShipped() throws IOException {
    Path log = dir.resolve("app.log");
    append(log, 0, 10);
    int admin = Ports.free();
    String series = "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"" + log + "\"} ";
    try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--scan-interval",
        "100ms", "--gone-timeout", "1s", log.toString());
         var writer = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      Await.until(Duration.ofSeconds(20), "10 lines", () -> p.stdout().lines().count() >= 10);
      long deleted = System.nanoTime();
      Files.delete(log);
      writer.write("written after the delete\n".getBytes(StandardCharsets.UTF_8)); // the app still has it open
      writer.flush();
      Await.get(Duration.ofSeconds(8), "the deleted file's series gone after --gone-timeout", () -> scrape(admin),
          t -> !t.contains(series) && t.contains("podkit_log_shipper_read_lines_total"));
      long took = (System.nanoTime() - deleted) / 1_000_000;
      assertTrue(took >= 1000, "let go after " + took + " ms, before --gone-timeout");
      p.terminateCleanly(EXIT);
      List<String> want = new ArrayList<>(expected(0, 10));
      want.add("written after the delete");
      assertEquals(want, p.stdout().lines().toList());
    }
  }

  /**
   * A sink down while 40 MiB wait in the file, with a heap (48 MiB) smaller than that: the memory
   * limit holds reading back (queued bytes under the limit, the rest is lag, the process lives),
   * and once the sink is back every line arrives, in order.
   */
  @Test
  void sinkDownWithMoreBacklogThanHeap_memoryHeldByTheLimit_everyLineOnceBack() throws IOException {
    Path log = dir.resolve("app.log");
    int n = 400_000;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append("line ").append(i).append(' ').append("x".repeat(90)).append('\n');
    Files.writeString(log, b); // about 40 MiB
    long size = Files.size(log);
    int admin = Ports.free();
    int limit = 4 << 20;
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      try (JavaProcess p = JavaProcess.start(MAIN, Map.of("JDK_JAVA_OPTIONS", "-Xmx48m -XX:+ExitOnOutOfMemoryError"),
          "--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--sink", "http", "--url",
          server.url("/ingest"), "--memory-limit", Integer.toString(limit), log.toString())) {
        // Five refusals: 250 + 500 + 1,000 + 2,000 ms of backoff, time enough to read it all if nothing held it back.
        Await.until(Duration.ofSeconds(30), "five refused posts", () -> server.refused() >= 5);
        String down = scrape(admin);
        double queued = value(down, "podkit_log_shipper_queued_bytes{image=\"log-shipper\"} ");
        assertTrue(queued > 0 && queued <= limit + (2 << 20), "queued " + queued + " against a limit of " + limit);
        assertTrue(value(down, "podkit_log_shipper_lag_bytes{image=\"log-shipper\"} ") > size / 2, down);
        server.status(200);
        Await.until(Duration.ofSeconds(120), n + " lines", () -> server.lines().size() >= n);
        p.terminateCleanly(EXIT);
      }
      List<String> got = server.lines();
      assertEquals(n, got.size());
      for (int i = 0; i < n; i += 9973) {
        assertEquals("line " + i + " " + "x".repeat(90), message(got.get(i)));
      }
    }
  }

  /**
   * /readyz follows the sink: it fails while the endpoint refuses every batch and is ok again once
   * the endpoint took the lines; /startupz is ok as soon as tailing began, sink down or not.
   */
  @Test
  void readyz_failsWhileTheSinkRefuses_okOnceItTakesTheLines_startupzOnceTailing() throws IOException {
    Path log = dir.resolve("app.log");
    append(log, 0, 100);
    int admin = Ports.free();
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(503);
      try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--sink", "http",
          "--url", server.url("/ingest"), log.toString())) {
        Await.get(Duration.ofSeconds(20), "/startupz ok once tailing began", () -> get(admin, "/startupz"),
            "200 ok\n"::equals, p::stderr);
        Await.get(Duration.ofSeconds(20), "/readyz failing while the sink refuses", () -> get(admin, "/readyz"),
            "503 sink failing\n"::equals, p::stderr);
        Await.during(Duration.ofSeconds(1), "/readyz failing while the sink keeps refusing",
            () -> get(admin, "/readyz").equals("503 sink failing\n"));
        assertTrue(server.refused() >= 1, "the endpoint was asked");
        server.status(200);
        Await.until(Duration.ofSeconds(30), "100 lines", () -> server.lines().size() >= 100);
        Await.get(Duration.ofSeconds(10), "/readyz ok once the sink took the lines", () -> get(admin, "/readyz"),
            "200 ok\n"::equals, p::stderr);
        assertEquals("200 ok\n", get(admin, "/startupz"));
        p.terminateCleanly(EXIT);
      }
      assertEquals(expected(0, 100), server.lines().stream().map(LogShipperProcessIT::message).toList());
    }
  }

  /**
   * Refusals on /metrics, end to end: by default a 401 is retried (counted as retries, nothing
   * dropped) until taken; with --on-refused drop a 400 drops the batch, counted by reason, and the
   * dropped lines are not counted as sent.
   */
  @Test
  void refusals_retriedByDefault_droppedAndCountedOnlyWithOnRefusedDrop() throws IOException {
    Path log = dir.resolve("app.log");
    append(log, 0, 50);
    int admin = Ports.free();
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(401);
      try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--sink", "http",
          "--url", server.url("/ingest"), log.toString())) {
        Await.until(Duration.ofSeconds(20), "three refusals", () -> server.refused() >= 3);
        server.status(200);
        String m = Await.get(Duration.ofSeconds(30), "50 lines sent", () -> scrape(admin),
            t -> value(t, "podkit_log_shipper_sent_lines_total{image=\"log-shipper\"} ") == 50);
        assertTrue(value(m, "podkit_log_shipper_retries_total{image=\"log-shipper\"} ") >= 3, m);
        assertTrue(!m.contains("podkit_log_shipper_dropped_lines_total{"), "nothing dropped: " + m);
        assertEquals(expected(0, 50), server.lines().stream().map(LogShipperProcessIT::message).toList());
        p.terminateCleanly(EXIT);
      }
    }
    Path other = dir.resolve("other.log");
    append(other, 0, 30);
    try (RecordingHttpServer server = new RecordingHttpServer()) {
      server.status(400);
      try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--sink", "http",
          "--url", server.url("/ingest"), "--on-refused", "drop", other.toString())) {
        String m = Await.get(Duration.ofSeconds(20), "30 lines dropped", () -> scrape(admin),
            t -> value(t, "podkit_log_shipper_dropped_lines_total{image=\"log-shipper\",reason=\"status 400\"} ") == 30);
        assertEquals(0, value(m, "podkit_log_shipper_sent_lines_total{image=\"log-shipper\"} "), m);
        assertTrue(p.stdout().contains("sink refused lines for good; dropped"), p.stdout());
        p.terminateCleanly(EXIT);
      }
    }
  }

  /**
   * SIGTERM is not a loss: lines written to two files just before it, while the shipper sleeps
   * between polls (2 s), are all read to the files' ends, flushed, and the exit code is 0.
   */
  @Test
  void sigterm_readsEveryFileToItsEnd_flushesEveryLine_andExits0() throws IOException {
    Path a = dir.resolve("a.log");
    Path b = dir.resolve("b.log");
    append(a, 0, 1);
    append(b, 1, 2);
    try (JavaProcess p = start("--admin-address", "off", "--poll-interval", "2s", dir + "/*.log")) {
      Await.until(Duration.ofSeconds(20), "the first 2 lines", () -> p.stdout().lines().count() >= 2);
      append(a, 2, 5000);
      append(b, 5000, 10_000);
      p.terminateCleanly(EXIT);
      assertEachOnce(10_000, p.stdout().lines().toList());
    }
  }

  /**
   * --start-at end skips what files present at start-up already hold, like tail, and ships what is
   * appended to them later; a file that appears later is read from its start.
   */
  @Test
  void startAtEnd_linesPresentAtStartNotShipped_appendedLinesAndNewFilesAre() throws IOException {
    Path log = dir.resolve("app.log");
    append(log, 1000, 1050);
    int admin = Ports.free();
    try (JavaProcess p = start("--admin-address", "127.0.0.1:" + admin, "--poll-interval", "20ms", "--start-at", "end",
        dir + "/*.log")) {
      // Tailing began: the end of app.log was taken as its start.
      Await.get(Duration.ofSeconds(20), "/startupz ok", () -> get(admin, "/startupz"), "200 ok\n"::equals, p::stderr);
      append(log, 0, 10);
      Await.until(Duration.ofSeconds(20), "the 10 appended lines", () -> p.stdout().lines().count() >= 10);
      append(dir.resolve("new.log"), 10, 20);
      Await.until(Duration.ofSeconds(20), "new.log's 10 lines", () -> p.stdout().lines().count() >= 20);
      p.terminateCleanly(EXIT);
      assertEquals(expected(0, 20), p.stdout().lines().toList());
    }
  }

  /** The admin endpoint's answer to {@code path}: its status, a space and its body; "" while it is not listening. */
  private static String get(int port, String path) {
    try {
      var c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return ""; // not listening yet
    }
  }

  private static String scrape(int port) {
    try {
      var c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
      try (var in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return ""; // not listening yet
    }
  }

  /** The value of the series whose line starts with {@code series}, or -1 when there is none. */
  private static double value(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
        .findFirst().orElse(-1);
  }

  @Test
  void exitAtEof_readsEveryFileOnceAndExits0() throws IOException {
    append(dir.resolve("a.log"), 0, 500);
    append(dir.resolve("b.log"), 500, 700);
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--json", dir + "/*.log")) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = p.stdout().lines().toList();
      assertEquals(expected(0, 700), lines.stream().map(LogShipperProcessIT::message).toList());
      assertEquals(dir.resolve("b.log").toString(), field(lines.getLast(), "path"));
      assertEquals("web-1", field(lines.getFirst(), "pod"));
    }
  }

  /** The Downward API's POD_NAME, POD_NAMESPACE, NODE_NAME and CONTAINER_NAME are fields of every JSON line. */
  @Test
  void json_carriesPodNamespaceNodeAndContainerFromTheEnvironment() throws IOException {
    Path log = dir.resolve("app.log");
    append(log, 0, 3);
    try (JavaProcess p = JavaProcess.start(MAIN, Map.of("POD_NAME", "web-1", "POD_NAMESPACE", "shop", "NODE_NAME",
        "node-7", "CONTAINER_NAME", "nginx"), "--admin-address", "off", "--exit-at-eof", "--json", log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = p.stdout().lines().toList();
      assertEquals(expected(0, 3), lines.stream().map(LogShipperProcessIT::message).toList());
      for (String l : lines) {
        assertEquals(List.of("web-1", "shop", "node-7", "nginx"),
            java.util.Arrays.asList(field(l, "pod"), field(l, "namespace"), field(l, "node"), field(l, "container")), l);
        assertEquals(log.toString(), field(l, "path"), l);
      }
    }
  }

  @Test
  void cri_splitLinesMergedPerStream_withStreamAndTime() throws IOException {
    Path log = dir.resolve("0.log");
    Files.writeString(log, """
        2024-01-01T00:00:00.100000000Z stdout P first half of a long
        2024-01-01T00:00:00.200000000Z stderr F an error line
        2024-01-01T00:00:00.300000000Z stdout F  line, second half
        2024-01-01T00:00:01Z stdout F short
        not a cri line
        """);
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--json", "--format", "cri", log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = p.stdout().lines().toList();
      assertEquals(List.of("an error line", "first half of a long line, second half", "short", "not a cri line"),
          lines.stream().map(LogShipperProcessIT::message).toList());
      assertEquals("stderr", field(lines.get(0), "stream"));
      assertEquals("stdout", field(lines.get(1), "stream"));
      assertEquals("2024-01-01T00:00:00.100Z", field(lines.get(1), "time"));
    }
  }

  @Test
  void docker_splitLinesMergedPerStream_withStreamAndTime() throws IOException {
    Path log = dir.resolve("c-json.log");
    Files.writeString(log, """
        {"log":"first half of a long","stream":"stdout","time":"2024-01-01T00:00:00.100000000Z"}
        {"log":"an error line\\n","stream":"stderr","time":"2024-01-01T00:00:00.200000000Z"}
        {"log":" line, second half\\n","stream":"stdout","time":"2024-01-01T00:00:00.300000000Z"}
        {"log":"with \\"quotes\\"\\tand a tab\\n","stream":"stdout","time":"2024-01-01T00:00:01Z"}
        not a docker line
        """);
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--json", "--format", "docker", log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = p.stdout().lines().toList();
      assertEquals(List.of("an error line", "first half of a long line, second half", "with \"quotes\"\tand a tab",
          "not a docker line"), lines.stream().map(LogShipperProcessIT::message).toList());
      assertEquals("stderr", field(lines.get(0), "stream"));
      assertEquals("2024-01-01T00:00:00.200Z", field(lines.get(0), "time"));
      assertEquals("stdout", field(lines.get(1), "stream"));
      assertEquals("2024-01-01T00:00:00.100Z", field(lines.get(1), "time"));
      assertEquals("stdout", field(lines.get(2), "stream"));
    }
  }

  /**
   * A part and its final part written a second apart (many idle polls between them) are one
   * event; a part still waiting for its end at SIGTERM is shipped, not lost.
   */
  @Test
  void cri_finalPartASecondAfterItsPart_mergedIntoOneEvent_andAPartHeldAtSigtermShipped() throws IOException {
    Path log = dir.resolve("0.log");
    try (LogWriter app = new LogWriter(log);
        JavaProcess p = start("--admin-address", "off", "--json", "--format", "cri", "--poll-interval", "20ms",
            "--partial-line-flush", "10s", log.toString())) {
      app.text("2024-01-01T00:00:00.100000000Z stdout P first half,\n2024-01-01T00:00:00.200000000Z stderr F read\n");
      Await.until(Duration.ofSeconds(20), "the stderr line", () -> messages(p).contains("read"));
      Await.during(Duration.ofSeconds(1), "the stdout part held for its final part", () -> messages(p).equals(List.of("read")));
      app.text("2024-01-01T00:00:01.300000000Z stdout F  second half\n");
      Await.until(Duration.ofSeconds(10), "the merged line", () -> messages(p).size() >= 2);
      app.text("2024-01-01T00:00:02Z stdout P held at exit\n2024-01-01T00:00:02.100Z stderr F read again\n");
      Await.until(Duration.ofSeconds(10), "the second stderr line", () -> messages(p).contains("read again"));
      p.terminateCleanly(EXIT);
      assertEquals(List.of("read", "first half, second half", "read again", "held at exit"), messages(p));
      List<String> lines = p.stdout().lines().toList();
      assertEquals("stdout", field(lines.get(1), "stream"));
      assertEquals("2024-01-01T00:00:00.100Z", field(lines.get(1), "time"));
    }
  }

  /** A part whose end never comes is shipped as it is once --partial-line-flush passed, not before. */
  @Test
  void cri_partWithoutItsFinalPart_shippedAsItIsAfterThePartialLineFlush() throws IOException {
    Path log = dir.resolve("0.log");
    try (LogWriter app = new LogWriter(log);
        JavaProcess p = start("--admin-address", "off", "--json", "--format", "cri", "--poll-interval", "20ms",
            "--partial-line-flush", "700ms", log.toString())) {
      app.text("2024-01-01T00:00:00Z stdout F started\n");
      Await.until(Duration.ofSeconds(20), "the first line", () -> messages(p).size() >= 1);
      long written = System.nanoTime();
      app.text("2024-01-01T00:00:01Z stdout P no end\n");
      Await.until(Duration.ofSeconds(10), "the part shipped alone", () -> messages(p).size() >= 2);
      long waitedMillis = (System.nanoTime() - written) / 1_000_000;
      assertTrue(waitedMillis >= 700, "shipped " + waitedMillis + " ms after it was written, before the 700 ms flush");
      app.text("2024-01-01T00:00:02Z stdout F late end\n");
      Await.until(Duration.ofSeconds(10), "the late end", () -> messages(p).size() >= 3);
      p.terminateCleanly(EXIT);
      assertEquals(List.of("started", "no end", "late end"), messages(p));
    }
  }

  @Test
  void multiline_stackTraceShippedAsOneEvent() throws IOException {
    Path log = dir.resolve("app.log");
    Files.writeString(log, "2024-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)\n2024-01-01 INFO next\n");
    try (JavaProcess p = start("--admin-address", "off", "--exit-at-eof", "--json", "--multiline-start", "^\\d{4}-",
        log.toString())) {
      assertEquals(0, p.awaitExit(EXIT), p.stderr());
      List<String> lines = p.stdout().lines().toList();
      assertEquals(List.of("2024-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)",
          "2024-01-01 INFO next"), lines.stream().map(LogShipperProcessIT::message).toList());
    }
  }

  /**
   * The flush timeout of a held multiline event holds per file: quiet.log's event goes out while
   * busy.log keeps every round of the shipper reading. The endpoint is slow and the writer stays a
   * bounded stretch ahead of it, so the shipper is never idle and the data stays small.
   */
  @Test
  void multiline_heldEventShippedAfterItsTimeout_whileAnotherFileStaysBusy() throws IOException {
    Path quiet = dir.resolve("quiet.log");
    Files.writeString(quiet, "2024-02-02 ERROR boom\n\tat a.B.c(B.java:1)\n"); // no next event: it is held
    int perChunk = 100; // lines per write, as many as a batch takes
    int ahead = 128; // chunks written and not yet taken by the endpoint: about 5 MB
    try (RecordingHttpServer server = new RecordingHttpServer(); LogWriter app = new LogWriter(dir.resolve("busy.log"))) {
      server.delay(Duration.ofMillis(50));
      try (JavaProcess p = start("--admin-address", "off", "--sink", "http", "--url", server.url("/ingest"),
          "--batch-events", Integer.toString(perChunk), "--memory-limit", "1048576", "--poll-interval", "20ms",
          "--multiline-start", "^\\d{4}-", "--multiline-timeout", "300ms", dir + "/*.log")) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int chunks = 0;
        int looked = 0;
        String held = null;
        while (held == null) {
          List<String> bodies = server.bodies();
          for (; looked < bodies.size() && held == null; looked++) {
            held = bodies.get(looked).lines().filter(l -> l.contains("ERROR boom")).findFirst().orElse(null);
          }
          int written = chunks;
          assertTrue(System.nanoTime() - deadline < 0, "quiet.log's event not shipped within 15 s while busy.log kept"
              + " the shipper reading (" + written + " chunks written, " + bodies.size() + " taken)\n" + p.stderr());
          if (held == null) {
            Await.until(Duration.ofSeconds(30), "the endpoint to take lines", () -> written - server.bodies().size() < ahead);
            app.text(chunk(chunks++, perChunk));
          }
        }
        assertEquals("2024-02-02 ERROR boom\n\tat a.B.c(B.java:1)", message(held));
        assertTrue(server.bodies().size() < chunks, "busy.log was still being shipped");
      }
    }
  }

  /** Lines {@code n * size} to {@code (n + 1) * size}, each an event of its own (it matches the start pattern). */
  private static String chunk(int n, int size) {
    StringBuilder b = new StringBuilder();
    for (int i = n * size; i < (n + 1) * size; i++) {
      b.append("2024-01-01 busy ").append(i).append(' ').append("x".repeat(400)).append('\n');
    }
    return b.toString();
  }

  /** The messages of the complete JSON lines printed so far. */
  private static List<String> messages(JavaProcess p) {
    String out = p.stdout();
    return out.substring(0, out.lastIndexOf('\n') + 1).lines().map(LogShipperProcessIT::message).toList();
  }

  @Test
  void badFlags_exit2ListingEveryProblem() {
    try (JavaProcess p = start("relative.log", "--sink", "loki", "--start-at", "middle", "--header", "nope",
        "--long-lines", "drop", "--partial-line-flush", "0")) {
      assertEquals(2, p.awaitExit(EXIT));
      String err = p.stderr();
      assertTrue(err.contains("--long-lines: not one of split|truncate: 'drop'"), err);
      assertTrue(err.contains("--partial-line-flush must be positive"), err);
      assertTrue(err.contains("log-shipper: error: 'relative.log' is not an absolute path or glob"), err);
      assertTrue(err.contains("--start-at: not beginning or end: 'middle'"), err);
      assertTrue(err.contains("--url: '' is not an http(s) URL (needed by --sink loki)"), err);
      assertTrue(err.contains("--header: 'nope' is not NAME=VALUE"), err);
      assertTrue(err.endsWith("Run 'log-shipper --help' for usage.\n"), err);
    }
  }

  @Test
  void memoryLimitThatDoesNotFitTheHeap_exit2SayingHowMuchItNeeds() {
    try (JavaProcess p = JavaProcess.start(MAIN, Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m"), "--memory-limit", "67108864",
        dir.resolve("a.log").toString())) {
      assertEquals(2, p.awaitExit(EXIT));
      String err = p.stderr();
      assertTrue(err.contains("--memory-limit 64 MiB with --batch-bytes 1024 KiB needs a JVM heap of at least 136 MiB"), err);
    }
  }

  /** The line numbers below {@code all} the server has not received, as ranges ("5-9"), for a failure message. */
  private static List<String> missing(RecordingHttpServer server, int all) {
    java.util.Set<String> got = distinct(server);
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < all; i++) {
      if (got.contains("line " + i)) continue;
      int from = i;
      while (i + 1 < all && !got.contains("line " + (i + 1))) i++;
      ranges.add(from == i ? Integer.toString(i) : from + "-" + i);
    }
    return ranges;
  }

  private static java.util.Set<String> distinct(RecordingHttpServer server) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String l : server.lines()) out.add(message(l));
    return out;
  }

  static String message(String json) {
    return field(json, "message");
  }

  static String field(String json, String name) {
    try (JsonParser p = new JsonFactory().createParser(json.getBytes(StandardCharsets.UTF_8))) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), json);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String n = p.currentName();
        p.nextToken();
        if (n.equals(name)) return p.getText();
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      throw new AssertionError("invalid JSON: " + json, e);
    }
  }
}
