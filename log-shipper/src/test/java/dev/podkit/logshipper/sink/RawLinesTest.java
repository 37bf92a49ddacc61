package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.podkit.filetail.LineFlags;
import dev.podkit.runtime.JsonOut;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Raw lines as tail prints them: no newline the file did not have, two files' lines never glued. */
class RawLinesTest {
  private final RawLines raw = new RawLines(true);
  private final JsonOut out = new JsonOut();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void line(String text, String path, int flags) {
    byte[] t = b(text);
    raw.line(t, 0, t.length, path, 0, flags, out);
  }

  private int lines(String text, String path) {
    byte[] t = b(text);
    return raw.lines(t, 0, t.length, 1000, path, 0, out);
  }

  private String written() {
    return new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8);
  }

  @Test
  void piecesOfOneLine_joinedAsTheFileHasThem() {
    line("aaaa", "/a.log", LineFlags.CUT);
    line("bbbb", "/a.log", LineFlags.CUT | LineFlags.CONTINUED);
    line("cc", "/a.log", LineFlags.CONTINUED);
    line("partial", "/a.log", LineFlags.UNTERMINATED);
    line(" rest", "/a.log", LineFlags.CONTINUED);
    assertEquals(11, lines("next\r\nlast\n", "/a.log"));
    assertEquals("aaaabbbbcc\npartial rest\nnext\r\nlast\n", written());
    assertEquals(5 + 2, raw.linesWritten());
  }

  @Test
  void anotherFilesBytes_startOnANewLine() {
    line("half of a", "/a.log", LineFlags.UNTERMINATED);
    lines("b1\nb2\n", "/b.log");
    line("cut piece of b", "/b.log", LineFlags.CUT);
    line("a's truncated line", "/a.log", LineFlags.TRUNCATED);
    line("flushed", "/a.log", LineFlags.UNTERMINATED);
    assertEquals("half of a\nb1\nb2\ncut piece of b\na's truncated line\nflushed", written());
  }

  @Test
  void aBlockWithNoWholeLine_writesNothing_andLeavesTheOpenLineOpen() {
    line("open", "/a.log", LineFlags.UNTERMINATED);
    assertEquals(0, lines("no newline", "/b.log"));
    line(" and closed", "/a.log", LineFlags.CONTINUED);
    assertEquals("open and closed\n", written());
  }
}
