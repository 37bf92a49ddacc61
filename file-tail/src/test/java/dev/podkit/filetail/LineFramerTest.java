package dev.podkit.filetail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineFramerTest {
  private final RecordingSink sink = new RecordingSink();

  private LineFramer framer(int max, LongLines mode, boolean stripCr) {
    return new LineFramer(max, mode, stripCr, sink);
  }

  private static void feed(LineFramer f, String s) {
    byte[] b = s.getBytes(UTF_8);
    f.feed(b, 0, b.length);
  }

  @Test
  void feed_wholeLinesInOneBuffer_deliveredInPlaceWithoutCopy() {
    LineFramer f = framer(100, LongLines.SPLIT, true);
    byte[] b = "one\ntwo\n".getBytes(UTF_8);
    f.feed(b, 0, b.length);
    assertEquals(List.of("one", "two"), sink.lines());
    assertSame(b, sink.buffers.get(0));
    assertSame(b, sink.buffers.get(1));
  }

  @Test
  void feed_linesAcrossEverySplitPoint_deliveredWhole() {
    String text = "alpha\nbeta\n\ngamma delta\nx\n";
    for (int cut = 0; cut <= text.length(); cut++) {
      sink.lines.clear();
      LineFramer f = framer(100, LongLines.SPLIT, true);
      feed(f, text.substring(0, cut));
      feed(f, text.substring(cut));
      assertEquals(List.of("alpha", "beta", "", "gamma delta", "x"), sink.lines(), "cut at " + cut);
    }
  }

  @Test
  void feed_oneByteAtATime_sameLines() {
    LineFramer f = framer(100, LongLines.SPLIT, true);
    for (char c : "ab\ncd\r\n\n".toCharArray()) {
      feed(f, String.valueOf(c));
    }
    assertEquals(List.of("ab", "cd", ""), sink.lines());
  }

  @Test
  void feed_crlf_stripsCarriageReturnOnlyWhenAsked() {
    feed(framer(100, LongLines.SPLIT, true), "a\r\nb\r\n\r\n");
    feed(framer(100, LongLines.SPLIT, false), "a\r\n");
    assertEquals(List.of("a", "b", "", "a\r"), sink.lines());
  }

  @Test
  void feed_crSplitFromItsNewline_stillStripped() {
    LineFramer f = framer(100, LongLines.SPLIT, true);
    feed(f, "abc\r");
    feed(f, "\n");
    assertEquals(List.of("abc"), sink.lines());
  }

  @Test
  void feed_emptyLines_deliveredEmpty() {
    feed(framer(100, LongLines.SPLIT, true), "\n\n\n");
    assertEquals(List.of("", "", ""), sink.lines());
  }

  @Test
  void feed_lineOfExactlyMax_notCut() {
    LineFramer f = framer(4, LongLines.SPLIT, true);
    feed(f, "abcd");
    assertEquals(List.of(), sink.lines());
    feed(f, "\n");
    assertEquals(List.of("abcd"), sink.lines());
  }

  @Test
  void feed_lineLongerThanMax_cutIntoFlaggedPiecesNothingLost() {
    feed(framer(4, LongLines.SPLIT, true), "abcdefghij\nok\n");
    assertEquals(List.of("abcd [CUT]", "efgh [CUT|CONTINUED]", "ij [CONTINUED]", "ok"), sink.lines());
  }

  @Test
  void feed_longLineSpanningFeeds_cutAtMaxAcrossTheCarry() {
    LineFramer f = framer(4, LongLines.SPLIT, true);
    feed(f, "ab");
    feed(f, "cdefg");
    assertEquals(List.of("abcd [CUT]"), sink.lines());
    assertEquals(3, f.pending());
    feed(f, "hijk\n");
    assertEquals(List.of("abcd [CUT]", "efgh [CUT|CONTINUED]", "ijk [CONTINUED]"), sink.lines());
    assertEquals(0, f.pending());
  }

  @Test
  void feed_longLineTruncateMode_deliversHeadFlaggedAndCountsTheRest() {
    LineFramer f = framer(4, LongLines.TRUNCATE, true);
    feed(f, "ab");
    feed(f, "cdefg");
    feed(f, "hij\nnext\n");
    assertEquals(List.of("abcd [TRUNCATED]", "(skipped 6)", "next"), sink.lines());
  }

  @Test
  void flush_partialLine_deliveredUnterminatedAndTheRestContinued() {
    LineFramer f = framer(100, LongLines.SPLIT, true);
    feed(f, "done\npart");
    assertEquals(List.of("done"), sink.lines());
    assertEquals(4, f.pending());
    f.flush();
    f.flush();
    feed(f, "ial\nnew\n");
    assertEquals(List.of("done", "part [UNTERMINATED]", "ial [CONTINUED]", "new"), sink.lines());
  }

  @Test
  void finish_partialLine_deliveredAndNextByteStartsANewLine() {
    LineFramer f = framer(100, LongLines.SPLIT, true);
    feed(f, "tail");
    f.finish();
    feed(f, "fresh\n");
    assertEquals(List.of("tail [UNTERMINATED]", "fresh"), sink.lines());
  }

  @Test
  void feed_randomTextRandomSplits_sameLinesAsSplittingTheWhole() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] text = new byte[random.nextInt(300)];
      for (int i = 0; i < text.length; i++) {
        text[i] = (byte) (random.nextInt(8) == 0 ? '\n' : 'a' + random.nextInt(26));
      }
      sink.lines.clear();
      LineFramer f = framer(1000, LongLines.SPLIT, false);
      for (int at = 0; at < text.length; ) {
        int n = Math.min(text.length - at, random.nextInt(40));
        f.feed(text, at, n);
        at += n;
      }
      f.finish();
      assertEquals(naiveLines(new String(text, UTF_8)), sink.lines(), "round " + round);
    }
  }

  @Test
  void indexOfNewline_everyPositionAndRange_matchesALinearScan() {
    byte[] b = new byte[40];
    for (int nl = -1; nl < b.length; nl++) {
      java.util.Arrays.fill(b, (byte) 0x8a); // high bytes must not confuse the word-at-a-time scan
      if (nl >= 0) b[nl] = '\n';
      for (int from = 0; from <= b.length; from++) {
        int expected = nl >= from ? nl : -1;
        assertEquals(expected, LineFramer.indexOfNewline(b, from, b.length), "nl " + nl + " from " + from);
      }
    }
  }

  @Test
  void constructor_maxBelowOne_rejectedWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> framer(0, LongLines.SPLIT, true));
    assertEquals("maxLineBytes < 1: 0", e.getMessage());
  }

  private static List<String> naiveLines(String s) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int nl; (nl = s.indexOf('\n', from)) >= 0; from = nl + 1) {
      out.add(s.substring(from, nl));
    }
    if (from < s.length()) out.add(s.substring(from) + " [UNTERMINATED]");
    return out;
  }
}
