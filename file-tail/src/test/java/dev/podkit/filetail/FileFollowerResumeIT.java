package dev.podkit.filetail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.FakeTicker;
import dev.podkit.testfixtures.LogWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint and restart: a follower resumed from a saved {@link Position}, or refusing it. */
class FileFollowerResumeIT {
  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingSink sink = new RecordingSink();
  private final RecordingEvents events = new RecordingEvents();
  private final ReadBuffer buffer = new ReadBuffer(64 * 1024);

  private Path app() {
    return dir.resolve("app.log");
  }

  /** Runs a follower from {@code start} until it reads nothing, closes it, returns its last position. */
  private Position runOnce(Start start) throws IOException {
    try (FileFollower f = new FileFollower(app(), start, TailOptions.defaults(), buffer, ticker, sink, events)) {
      for (int i = 0; f.poll() > 0; i++) {
        assertTrue(i < 1000, "still reading after 1000 polls");
      }
      return f.position().orElse(null);
    }
  }

  @Test
  void resume_afterRestart_noLossNoDuplicates() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("l1", "l2");
      Position saved = runOnce(Start.beginning());
      assertEquals(6, saved.offset());
      log.lines("l3", "l4");
      runOnce(Start.at(saved));
    }
    assertEquals(List.of("l1", "l2", "l3", "l4"), sink.lines());
    assertEquals(List.of("opened 0", "opened 6"), events.events());
  }

  @Test
  void resume_savedWithAPartialLineHeld_partialLineReadWholeAfterRestart() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("l1").text("par");
      Position saved = runOnce(Start.beginning());
      assertEquals(3, saved.offset());
      log.lines("tial", "l3");
      runOnce(Start.at(saved));
    }
    assertEquals(List.of("l1", "partial", "l3"), sink.lines());
  }

  @Test
  void resume_afterManyLinesPastTheWindow_positionStillVerifies() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      for (int i = 0; i < 500; i++) log.lines("line-" + i);
      Position saved = runOnce(Start.beginning());
      assertEquals(TailedFile.WINDOW_BYTES, saved.tailLength());
      assertEquals(TailedFile.HEAD_BYTES, saved.headLength());
      log.lines("after");
      runOnce(Start.at(saved));
    }
    assertEquals(501, sink.size());
    assertEquals("after", sink.lines().getLast());
    assertEquals(0, events.count("resumeRejected"));
  }

  @Test
  void resume_fileRotatedByRenameWhileDown_newFileReadFromStartAndWhyReported() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("old-1");
      Position saved = runOnce(Start.beginning());
      log.renameTo(dir.resolve("app.log.1")).reopen().lines("new-1");
      runOnce(Start.at(saved));
    }
    assertEquals(List.of("old-1", "new-1"), sink.lines());
    assertEquals(List.of("opened 0", "resumeRejected: another file (<key>, saved <key>)", "opened 0"),
        events.events());
  }

  @Test
  void resume_fileTruncatedAndRegrownPastOffsetWhileDown_readFromStart() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("aaaa", "bbbb");
      Position saved = runOnce(Start.beginning());
      log.copyTruncate(dir.resolve("app.log.1")).lines("cccc", "dddd", "eeee");
      runOnce(Start.at(saved));
    }
    assertEquals(List.of("aaaa", "bbbb", "cccc", "dddd", "eeee"), sink.lines());
    assertEquals("resumeRejected: first 10 bytes differ", events.events().get(1));
  }

  @Test
  void resume_fileTruncatedShorterWhileDown_readFromStart() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("aaaa", "bbbb");
      Position saved = runOnce(Start.beginning());
      log.truncate().lines("c");
      runOnce(Start.at(saved));
    }
    assertEquals(List.of("aaaa", "bbbb", "c"), sink.lines());
    assertEquals("resumeRejected: file shorter than saved offset: 2 < 10", events.events().get(1));
  }

  @Test
  void resume_sameInodeOtherContent_headMismatchRejected() throws IOException {
    // Inode reuse: a new file with the old device and inode. Simulated by a position whose head
    // fingerprint differs, which is what a reused inode with other content presents.
    try (LogWriter log = new LogWriter(app())) {
      log.lines("one", "two");
      Position real = runOnce(Start.beginning());
      Position reused = new Position(real.file(), real.offset(), real.headLength(), real.headHash() ^ 1,
          real.tailLength(), real.tailHash());
      runOnce(Start.at(reused));
    }
    assertEquals(List.of("one", "two", "one", "two"), sink.lines());
    assertEquals("resumeRejected: first 8 bytes differ", events.events().get(1));
  }

  @Test
  void resume_bytesBeforeOffsetChanged_rejected() throws IOException {
    try (LogWriter log = new LogWriter(app())) {
      log.lines("one", "two");
      Position real = runOnce(Start.beginning());
      Position other = new Position(real.file(), real.offset(), real.headLength(), real.headHash(),
          real.tailLength(), real.tailHash() + 1);
      runOnce(Start.at(other));
    }
    assertEquals("resumeRejected: 8 bytes before offset 8 differ", events.events().get(1));
  }

  @Test
  void resume_noFileAtPath_reportedAndReadFromStartWhenItAppears() throws IOException {
    Position saved;
    try (LogWriter log = new LogWriter(app())) {
      log.lines("x");
      saved = runOnce(Start.beginning());
      log.delete();
    }
    try (FileFollower f = new FileFollower(app(), Start.at(saved), TailOptions.defaults(), buffer, ticker, sink,
        events)) {
      assertEquals(0, f.poll());
      try (LogWriter log = new LogWriter(app())) {
        log.lines("y");
      }
      assertEquals(2, f.poll());
    }
    assertEquals(List.of("x", "y"), sink.lines());
    assertEquals(List.of("opened 0", "resumeRejected: no file at the path", "opened 0"), events.events());
  }
}
