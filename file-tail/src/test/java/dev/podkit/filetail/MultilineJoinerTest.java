package dev.podkit.filetail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.podkit.testfixtures.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MultilineJoinerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingSink events = new RecordingSink();

  private MultilineJoiner joiner(int maxLines, int maxBytes) {
    return new MultilineJoiner(new MultilineOptions(MultilineOptions.JAVA_STACK_TRACE_START, maxLines, maxBytes,
        Duration.ofSeconds(4)), ticker, events);
  }

  private static void lines(LineSink sink, String... lines) {
    for (String line : lines) {
      byte[] b = line.getBytes(UTF_8);
      sink.line(b, 0, b.length, 0);
    }
  }

  @Test
  void line_javaStackTrace_joinedIntoOneEventWithNewlines() {
    MultilineJoiner j = joiner(100, 10_000);
    lines(j, "12:00 INFO started",
        "Exception in thread \"main\" java.lang.IllegalStateException: boom",
        "\tat app.Main.run(Main.java:10)",
        "\tat app.Main.main(Main.java:3)",
        "Caused by: java.io.IOException: disk",
        "\tat app.Disk.read(Disk.java:7)",
        "\t... 5 more",
        "... 2 more",
        "12:01 INFO next");
    j.flush();
    assertEquals(List.of("12:00 INFO started",
        "Exception in thread \"main\" java.lang.IllegalStateException: boom\n\tat app.Main.run(Main.java:10)\n"
            + "\tat app.Main.main(Main.java:3)\nCaused by: java.io.IOException: disk\n\tat app.Disk.read(Disk.java:7)\n"
            + "\t... 5 more\n... 2 more",
        "12:01 INFO next"), events.lines());
  }

  @Test
  void poll_beforeTimeout_holds_afterTimeout_emits() {
    MultilineJoiner j = joiner(100, 10_000);
    lines(j, "boom", "\tat x");
    ticker.advance(Duration.ofMillis(3999));
    j.poll();
    assertEquals(List.of(), events.lines());
    ticker.advance(Duration.ofMillis(1));
    j.poll();
    assertEquals(List.of("boom\n\tat x"), events.lines());
  }

  @Test
  void deadline_isTheLastLinePlusTheTimeout_andPollEmitsFromThen() {
    MultilineJoiner j = joiner(100, 10_000);
    lines(j, "boom");
    ticker.advance(Duration.ofSeconds(1));
    lines(j, "\tat x");
    long deadline = ticker.nanoTime() + Duration.ofSeconds(4).toNanos();
    assertEquals(deadline, j.deadline());
    ticker.advance(Duration.ofNanos(deadline - ticker.nanoTime() - 1));
    j.poll();
    assertEquals(List.of(), events.lines());
    ticker.advance(Duration.ofNanos(1));
    j.poll();
    assertEquals(List.of("boom\n\tat x"), events.lines());
  }

  @Test
  void line_afterTimeout_previousEventEmittedFirst_evenForAContinuation() {
    MultilineJoiner j = joiner(100, 10_000);
    lines(j, "boom");
    ticker.advance(Duration.ofSeconds(5));
    lines(j, "\tat late");
    j.flush();
    assertEquals(List.of("boom", "\tat late"), events.lines());
  }

  @Test
  void line_maxLinesReached_cutAndContinuedInTheNextEvent() {
    MultilineJoiner j = joiner(3, 10_000);
    lines(j, "boom", "\t1", "\t2", "\t3", "\t4");
    j.flush();
    assertEquals(List.of("boom\n\t1\n\t2 [CUT]", "\t3\n\t4 [CONTINUED]"), events.lines());
  }

  @Test
  void line_maxBytesReached_cutBeforeTheLineThatWouldPassIt() {
    MultilineJoiner j = joiner(100, 10);
    lines(j, "boom", "\tab", "\tcd");
    j.flush();
    assertEquals(List.of("boom\n\tab [CUT]", "\tcd [CONTINUED]"), events.lines());
  }

  @Test
  void line_piecesOfALongLine_gluedWithoutNewline() {
    MultilineJoiner j = joiner(100, 10_000);
    byte[] a = "boom-".getBytes(UTF_8);
    byte[] b = "rest".getBytes(UTF_8);
    j.line(a, 0, a.length, LineFlags.CUT);
    j.line(b, 0, b.length, LineFlags.CONTINUED);
    lines(j, "\tat x", "next");
    j.flush();
    assertEquals(List.of("boom-rest\n\tat x", "next"), events.lines());
  }

  @Test
  void line_firstLineNotAStart_stillBeginsAnEvent() {
    MultilineJoiner j = new MultilineJoiner(new MultilineOptions(Pattern.compile("^\\d"), 10, 1000,
        Duration.ofSeconds(1)), ticker, events);
    lines(j, "orphan", "more", "1 start", "x");
    j.flush();
    assertEquals(List.of("orphan\nmore", "1 start\nx"), events.lines());
  }
}
