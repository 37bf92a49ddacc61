package dev.podkit.filetail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.FakeTicker;
import dev.podkit.testfixtures.LogWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotation matrix on real files: every poll is driven by the test, time by a fake ticker. */
class FileFollowerIT {
  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingSink sink = new RecordingSink();
  private final RecordingEvents events = new RecordingEvents();
  private final ReadBuffer buffer = new ReadBuffer(64 * 1024);
  private FileFollower follower;

  private Path app() {
    return dir.resolve("app.log");
  }

  private FileFollower follow(Path path, Start start) {
    follower = new FileFollower(path, start, TailOptions.defaults(), buffer, ticker, sink, events);
    return follower;
  }

  /** Polls until a poll reads nothing; returns the lines delivered since the last call. */
  private List<String> drain() {
    int before = sink.size();
    for (int i = 0; follower.poll() > 0; i++) {
      assertTrue(i < 1000, "still reading after 1000 polls");
    }
    return sink.lines().subList(before, sink.size());
  }

  @AfterEach
  void closeFollower() throws IOException {
    if (follower != null) follower.close();
  }

  @Test
  void poll_renameRotation_linesWrittenToOldAfterRenameAndBeforeNewFile_readBeforeTheNewFile() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("a1", "a2");
      follow(app(), Start.beginning());
      assertEquals(List.of("a1", "a2"), drain());
      log.renameTo(dir.resolve("app.log.1")).lines("a3");
      assertEquals(List.of("a3"), drain());
      log.lines("a4").reopen().lines("b1");
      assertEquals(List.of("a4", "b1"), drain());
      log.lines("b2");
      assertEquals(List.of("b2"), drain());
    }
    assertEquals(List.of("opened 0", "gone", "rotated", "opened 0"), events.events());
  }

  @Test
  void bothEvents_eachEventReachesBothInOrder() {
    RecordingEvents second = new RecordingEvents();
    try (LogWriter log = new LogWriter(app())) {
      log.lines("a1", "x".repeat(300));
      follower = new FileFollower(app(), Start.beginning(), TailOptions.defaults().withMaxLineBytes(100, LongLines.TRUNCATE),
          buffer, ticker, sink, TailEvents.both(events, second));
      drain();
      log.renameTo(dir.resolve("app.log.1")).reopen().lines("b1");
      drain();
    }
    List<String> want = List.of("opened 0", "lineCut TRUNCATED", "skipped 200", "rotated", "opened 0");
    assertEquals(want, events.events());
    assertEquals(want, second.events());
  }

  @Test
  void poll_renameRotationBetweenPolls_oldFileFinishedIncludingItsPartialLastLine() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("a1");
      follow(app(), Start.beginning());
      assertEquals(List.of("a1"), drain());
      log.renameTo(dir.resolve("app.log.1")).lines("a2").text("a3-cut").reopen().lines("b1", "b2");
      assertEquals(List.of("a2", "a3-cut [UNTERMINATED]", "b1", "b2"), drain());
    }
    assertEquals(List.of("opened 0", "rotated", "opened 0"), events.events());
  }

  @Test
  void poll_copytruncate_restartsFromZero() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("old-1", "old-2", "old-3");
      follow(app(), Start.beginning());
      assertEquals(List.of("old-1", "old-2", "old-3"), drain());
      log.copyTruncate(dir.resolve("app.log.1")).lines("new-1");
      assertEquals(List.of("new-1"), drain());
    }
    assertEquals(List.of("opened 0", "truncated 18"), events.events());
  }

  @Test
  void poll_truncatedAndRegrownPastOffsetWithinOnePoll_newContentFromItsStartNoTornLines() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("short-1", "short-2");
      follow(app(), Start.beginning());
      assertEquals(List.of("short-1", "short-2"), drain());
      log.copyTruncate(dir.resolve("app.log.1")).lines("regrown-line-1", "regrown-line-2", "regrown-line-3");
      assertEquals(List.of("regrown-line-1", "regrown-line-2", "regrown-line-3"), drain());
    }
    assertEquals(List.of("opened 0", "truncated 16"), events.events());
  }

  @Test
  void poll_longLineThenTruncatedAndALongerLineWritten_longerLineWhole() {
    // Step 3 of the reproduction in research/logs.md section 7.0, which GNU and BusyBox tail tear.
    String longLine = "long-" + "x".repeat(60);
    String longer = "line-7-" + "y".repeat(90);
    try (LogWriter log = new LogWriter(app())) {
      log.lines("line-5");
      follow(app(), Start.beginning());
      log.lines(longLine);
      assertEquals(List.of("line-5", longLine), drain());
      log.truncate().lines(longer);
      assertEquals(List.of(longer), drain());
    }
    assertEquals(List.of("opened 0", "truncated 73"), events.events());
  }

  @Test
  void poll_truncatedAndRegrownToTheSameSizeWhileIdle_seenOnTheNextPoll() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("aaaa", "bbbb");
      follow(app(), Start.beginning());
      assertEquals(List.of("aaaa", "bbbb"), drain());
      log.truncate().lines("cccc", "dddd");
      assertEquals(List.of("cccc", "dddd"), drain());
    }
    assertEquals(List.of("opened 0", "truncated 10"), events.events());
  }

  @Test
  void poll_deletedWhileOpen_drainedThenClosedAfterTheGoneTimeout_recreatedReadFromStart() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("l1");
      follow(app(), Start.beginning());
      assertEquals(List.of("l1"), drain());
      log.lines("l2").delete().lines("l3");
      assertEquals(List.of("l2", "l3"), drain());
      ticker.advance(Duration.ofSeconds(9));
      log.lines("l4");
      assertEquals(List.of("l4"), drain());
      ticker.advance(Duration.ofSeconds(9));
      assertEquals(List.of(), drain());
      ticker.advance(Duration.ofSeconds(1));
      assertEquals(List.of(), drain());
      assertEquals(List.of(), follower.position().stream().toList());
      log.reopen().lines("n1");
      assertEquals(List.of("n1"), drain());
    }
    assertEquals(List.of("opened 0", "gone", "closed 12", "opened 0"), events.events());
  }

  @Test
  void poll_deletedAndRecreatedBetweenPolls_oldFinishedThenNewFromStart() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("l1");
      follow(app(), Start.beginning());
      assertEquals(List.of("l1"), drain());
      log.lines("l2").delete().reopen().lines("n1");
      assertEquals(List.of("l2", "n1"), drain());
    }
    assertEquals(List.of("opened 0", "rotated", "opened 0"), events.events());
  }

  @Test
  void poll_fileAbsentAtStart_readFromItsStartWhenItAppears_evenWhenStartingAtEnd() {
    follow(app(), Start.end());
    assertEquals(List.of(), drain());
    try (LogWriter log = new LogWriter(app())) {
      log.lines("first", "second");
      assertEquals(List.of("first", "second"), drain());
    }
    assertEquals(List.of("opened 0"), events.events());
  }

  @Test
  void poll_symlinkRetargeted_oldTargetFinishedThenNewTargetFromStart() throws IOException {
    Path link = dir.resolve("container.log");
    try (LogWriter a = new LogWriter(dir.resolve("a.log")); LogWriter b = new LogWriter(dir.resolve("b.log"))) {
      a.lines("a1");
      b.lines("b1", "b2");
      Files.createSymbolicLink(link, Path.of("a.log"));
      follow(link, Start.beginning());
      assertEquals(List.of("a1"), drain());
      a.lines("a2");
      Path tmp = dir.resolve("container.log.tmp");
      Files.createSymbolicLink(tmp, Path.of("b.log"));
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertEquals(List.of("a2", "b1", "b2"), drain());
      b.lines("b3");
      assertEquals(List.of("b3"), drain());
    }
    assertEquals(List.of("opened 0", "rotated", "opened 0"), events.events());
  }

  @Test
  void poll_startAtEnd_onlyNewLines_aPartialLastLineReadWhole() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("old-1", "old-2").text("par");
      follow(app(), Start.end());
      assertEquals(List.of(), drain());
      log.lines("tial", "new");
      assertEquals(List.of("partial", "new"), drain());
    }
    assertEquals(List.of("opened 12"), events.events());
  }

  @Test
  void poll_partialLineQuietPastTheFlushTimeout_deliveredThenContinued() {
    try (LogWriter log = new LogWriter(app())) {
      log.text("abc");
      follow(app(), Start.beginning());
      assertEquals(List.of(), drain());
      ticker.advance(Duration.ofSeconds(5));
      assertEquals(List.of("abc [UNTERMINATED]"), drain());
      assertEquals(3, follower.position().orElseThrow().offset());
      log.lines("def");
      assertEquals(List.of("def [CONTINUED]"), drain());
    }
    assertEquals(List.of("opened 0", "partialLineFlushed 3"), events.events());
  }

  @Test
  void poll_lineLongerThanMax_deliveredInFlaggedPiecesAndReported() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("x".repeat(10), "ok");
      follower = new FileFollower(app(), Start.beginning(),
          TailOptions.defaults().withMaxLineBytes(4, LongLines.SPLIT), buffer, ticker, sink, events);
      assertEquals(List.of("xxxx [CUT]", "xxxx [CUT|CONTINUED]", "xx [CONTINUED]", "ok"), drain());
    }
    assertEquals(List.of("opened 0", "lineCut CUT"), events.events());
  }

  @Test
  void lagBytes_theOpenFilesBytesPastTheDeliveredLines_alsoAfterItsNameMovedOn() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("a1", "a2");
      follow(app(), Start.beginning());
      assertFalse(follower.holdsFile());
      assertEquals(0, follower.lagBytes(), "nothing open before the first poll");
      assertEquals(List.of("a1", "a2"), drain());
      assertTrue(follower.holdsFile());
      assertEquals(0, follower.lagBytes());
      log.lines("a3", "a4-long").text("cut");
      assertEquals(3 + 8 + 3, follower.lagBytes(), "growth seen without a poll");
      assertEquals(List.of("a3", "a4-long"), drain());
      assertEquals(3, follower.lagBytes(), "a partial last line is not delivered yet");
      log.renameTo(dir.resolve("app.log.1")).reopen().lines("b1-a-longer-line");
      assertEquals(3, follower.lagBytes(), "the file being read, not the one the name now gives");
    }
  }

  @Test
  void poll_budget_readsAtMostMaxBytesPerPollAndGoesOnNextPoll() {
    try (LogWriter log = new LogWriter(app())) {
      for (int i = 0; i < 100; i++) log.lines("line-%03d".formatted(i)); // 9 bytes each
      follower = new FileFollower(app(), Start.beginning(), TailOptions.defaults().withMaxReadBytesPerPoll(100),
          buffer, ticker, sink, events);
      for (int i = 0; i < 9; i++) {
        assertEquals(100, follower.poll(), "poll " + i);
      }
      assertEquals(0, follower.poll());
    }
    assertEquals(100, sink.size());
    assertEquals("line-099", sink.lines().getLast());
  }

  @Test
  void poll_interruptedDuringARead_reportedThenReopenedAndResumedWithoutLossOrDuplicates() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("l1").text("par");
      follow(app(), Start.beginning());
      assertEquals(List.of("l1"), drain());
      log.lines("tial", "l2");
      Thread.currentThread().interrupt(); // the next channel read closes the channel
      assertEquals(0, follower.poll());
      assertTrue(Thread.interrupted());
      assertEquals(List.of(), drain()); // backing off
      ticker.advance(Duration.ofMillis(100));
      assertEquals(List.of("partial", "l2"), drain());
    }
    assertEquals(List.of("opened 0", "readError ClosedByInterruptException", "opened 3"), events.events());
  }

  @Test
  void poll_deletedFileLargerThanTheBudget_goneReportedOnceWhileDraining() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("first");
      follower = new FileFollower(app(), Start.beginning(), TailOptions.defaults().withMaxReadBytesPerPoll(64),
          buffer, ticker, sink, events);
      assertEquals(List.of("first"), drain());
      log.delete();
      follower.poll();
      for (int i = 0; i < 100; i++) log.lines("line-%03d".formatted(i));
      assertEquals(100, drain().size());
    }
    assertEquals(List.of("opened 0", "gone"), events.events());
  }

  @Test
  void flush_partialLineHeld_deliveredNowBeforeTheTimeout() {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("l1").text("last");
      follow(app(), Start.beginning());
      assertEquals(List.of("l1"), drain());
      follower.flush();
      follower.flush();
      assertEquals(List.of("l1", "last [UNTERMINATED]"), sink.lines());
      assertEquals(7, follower.position().orElseThrow().offset());
    }
    assertEquals(List.of("opened 0", "partialLineFlushed 4"), events.events());
  }
}
