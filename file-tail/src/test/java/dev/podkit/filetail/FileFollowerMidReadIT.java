package dev.podkit.filetail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.FakeTicker;
import dev.podkit.testfixtures.LogWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The position asked for while one read is being framed (as a batch cut between two of its lines
 * asks it): the end of the last line delivered so far, exactly, and a follower resumed from it
 * goes on with the next line. A position that lagged to the start of the read made a restart
 * repeat every line of that read, acknowledged batches included.
 */
class FileFollowerMidReadIT {
  private static final int LINES = 300;
  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingEvents events = new RecordingEvents();
  private final ReadBuffer buffer = new ReadBuffer(64 * 1024);
  private final AtomicReference<FileFollower> follower = new AtomicReference<>();
  /** The offset follower.position() gave as each line arrived, in order. */
  private final List<Long> askedAt = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();

  private Path app() {
    return dir.resolve("app.log");
  }

  /** The corpus, written at once so that a single read holds all of it. */
  private long[] write() throws IOException {
    long[] ends = new long[LINES];
    long at = 0;
    try (LogWriter log = new LogWriter(app())) {
      for (int i = 0; i < LINES; i++) {
        String line = "line " + i + " " + "x".repeat(i % 37);
        log.lines(line);
        at += line.length() + 1;
        ends[i] = at;
      }
    }
    return ends;
  }

  private void asked() {
    askedAt.add(follower.get().position().orElseThrow().offset());
  }

  /** Polls a follower on {@code sink} from {@code start} until it reads nothing. */
  private void run(Start start, LineSink sink) throws IOException {
    try (FileFollower f = new FileFollower(app(), start, TailOptions.defaults(), buffer, ticker, sink, events)) {
      follower.set(f);
      for (int i = 0; f.poll() > 0; i++) {
        assertTrue(i < 1000, "still reading after 1000 polls");
      }
    }
  }

  @Test
  void lineByLine_positionAskedAtEachLine_isTheEndOfTheLineBefore() throws IOException {
    long[] ends = write();
    run(Start.beginning(), (buf, s, e, flags) -> {
      asked();
      lines.add(new String(buf, s, e - s, StandardCharsets.UTF_8));
    });
    assertEquals(LINES, lines.size());
    assertEquals(0L, askedAt.getFirst());
    for (int i = 1; i < LINES; i++) {
      assertEquals(ends[i - 1], askedAt.get(i), "asked at line " + i);
    }
  }

  @Test
  void blocks_sinkStoppingEvery50Lines_positionAskedAtEachBlock_isTheEndOfTheLinesTaken() throws IOException {
    long[] ends = write();
    run(Start.beginning(), new LineSink() {
      @Override
      public void line(byte[] buf, int start, int end, int flags) {
        asked();
        lines.add(new String(buf, start, end - start, StandardCharsets.UTF_8));
      }

      @Override
      public boolean takesBlocks() {
        return true;
      }

      @Override
      public int lines(byte[] buf, int start, int end, int maxLineBytes) {
        asked(); // where a batch filled by the previous call would be cut
        int s = start;
        for (int n = 0; n < 50; n++) {
          int nl = LineFramer.indexOfNewline(buf, s, end);
          if (nl < 0) {
            break;
          }
          lines.add(new String(buf, s, nl - s, StandardCharsets.UTF_8));
          s = nl + 1;
        }
        return s;
      }
    });
    assertEquals(LINES, lines.size());
    // One read holds every line: offered 50 at a time, asked before each offer.
    List<Long> expected = new ArrayList<>();
    for (int taken = 0; taken < LINES; taken += 50) {
      expected.add(taken == 0 ? 0L : ends[taken - 1]);
    }
    assertEquals(expected, askedAt);
  }

  @Test
  void resumedFromAPositionAskedMidRead_goesOnWithTheNextLine() throws IOException {
    write();
    AtomicReference<Position> at137 = new AtomicReference<>();
    run(Start.beginning(), (buf, s, e, flags) -> {
      if (lines.size() == 137) {
        at137.set(follower.get().position().orElseThrow());
      }
      lines.add(new String(buf, s, e - s, StandardCharsets.UTF_8));
    });
    List<String> all = List.copyOf(lines);
    lines.clear();
    run(Start.at(at137.get()), (buf, s, e, flags) -> lines.add(new String(buf, s, e - s, StandardCharsets.UTF_8)));
    assertEquals(all.get(137), lines.getFirst(), "the first line after the resume");
    assertEquals(LINES - 137, lines.size(), "lines after the resume");
    assertEquals(all.subList(137, LINES), lines);
    assertEquals(0, events.count("resumeRejected"), events.events().toString());
  }

  @Test
  void markTakenMidRead_positionAtItLater_resumesWithTheNextLine() throws IOException {
    long[] ends = write();
    AtomicReference<FileFollower.Mark> at137 = new AtomicReference<>();
    AtomicReference<Position> later = new AtomicReference<>();
    run(Start.beginning(), (buf, s, e, flags) -> {
      if (lines.size() == 137) {
        at137.set(follower.get().mark());
      }
      lines.add(new String(buf, s, e - s, StandardCharsets.UTF_8));
      if (lines.size() == LINES) {
        later.set(follower.get().positionAt(at137.get()).orElseThrow()); // long after the mark: read back
      }
    });
    assertEquals(ends[136], later.get().offset());
    List<String> all = List.copyOf(lines);
    lines.clear();
    run(Start.at(later.get()), (buf, s, e, flags) -> lines.add(new String(buf, s, e - s, StandardCharsets.UTF_8)));
    assertEquals(all.get(137), lines.getFirst(), "the first line after the resume");
    assertEquals(all.subList(137, LINES), lines);
    assertEquals(0, events.count("resumeRejected"), events.events().toString());
  }
}
