package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonOutTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static String write(byte[] input) {
    JsonOut out = new JsonOut();
    out.string(input, 0, input.length);
    return new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8);
  }

  /** Decodes one JSON string with Jackson, an independent parser that rejects invalid JSON. */
  private static String decode(byte[] json, int len) throws IOException {
    try (JsonParser p = JSON.createParser(json, 0, len)) {
      assertEquals(JsonToken.VALUE_STRING, p.nextToken());
      String s = p.getText();
      assertEquals(null, p.nextToken());
      return s;
    }
  }

  @Test
  void string_everyControlCharacter_isEscapedAndRoundTrips() throws IOException {
    for (int c = 0; c < 0x20; c++) {
      byte[] in = {'a', (byte) c, 'b'};
      JsonOut out = new JsonOut();
      out.string(in, 0, 3);
      assertEquals("a" + (char) c + "b", decode(out.buffer(), out.length()), "char " + c);
    }
    assertEquals("\"\\u0000\\n\\r\\t\\b\\f\\u001f\"", write(new byte[] {0, '\n', '\r', '\t', '\b', '\f', 0x1f}));
  }

  @Test
  void string_quotesAndBackslashes_areEscaped() {
    assertEquals("\"say \\\"hi\\\" \\\\o/\"", write("say \"hi\" \\o/".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void string_validUtf8_isCopiedUnchanged() {
    String s = "héllo wörld – 日本語 😀 \u2028";
    assertEquals("\"" + s + "\"", write(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void string_invalidUtf8_becomesReplacementCharacterAndIsCounted() {
    JsonOut out = new JsonOut();
    byte[] bad = {'a', (byte) 0xC3, 'b', (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xE2, (byte) 0x82};
    out.string(bad, 0, bad.length);
    String s = new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8);
    assertEquals("\"a\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\"", s);
    assertEquals(7, out.invalidUtf8());
  }

  @Test
  void string_overlongAndOutOfRange_areInvalid() {
    JsonOut out = new JsonOut();
    byte[] overlong = {(byte) 0xC0, (byte) 0xAF, (byte) 0xE0, (byte) 0x80, (byte) 0xAF, (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
    out.string(overlong, 0, overlong.length);
    String s = new String(out.buffer(), 1, out.length() - 2, StandardCharsets.UTF_8);
    assertEquals(s.length(), s.chars().filter(c -> c == 0xFFFD).count(), s);
  }

  @Test
  void string_randomBytes_alwaysGiveValidJson_andValidUtf8RoundTrips() throws IOException {
    Random r = new Random(1234);
    for (int i = 0; i < 20_000; i++) {
      byte[] in = new byte[r.nextInt(40)];
      r.nextBytes(in);
      JsonOut out = new JsonOut();
      out.string(in, 0, in.length);
      String decoded = decode(out.buffer(), out.length()); // throws on invalid JSON
      String lenient = new String(in, StandardCharsets.UTF_8);
      if (out.invalidUtf8() == 0) {
        assertEquals(lenient, decoded);
      }
    }
  }

  @Test
  void string_specialByteAtEveryPositionOfLongAsciiRuns_isFound() throws IOException {
    byte[] specials = {'"', '\\', '\n', 0x1f, 0x00, 0x7f, '!', '#', '[', ']', ' ', '~'};
    for (int len = 1; len <= 24; len++) {
      for (int pos = 0; pos < len; pos++) {
        for (byte sp : specials) {
          byte[] in = new byte[len];
          for (int k = 0; k < len; k++) in[k] = (byte) ('a' + k % 26);
          in[pos] = sp;
          JsonOut out = new JsonOut();
          out.string(in, 0, len);
          assertEquals(new String(in, StandardCharsets.US_ASCII), decode(out.buffer(), out.length()), len + "/" + pos + "/" + sp);
        }
      }
    }
  }

  @Test
  void numbers_areWrittenExactly() {
    JsonOut out = new JsonOut();
    out.number(0).raw(',').number(-42).raw(',').number(Long.MAX_VALUE).raw(',').number(Long.MIN_VALUE).raw(',')
        .decimal(0.25).raw(',').decimal(3.0);
    assertEquals("0,-42,9223372036854775807,-9223372036854775808,0.25,3",
        new String(out.buffer(), 0, out.length(), StandardCharsets.US_ASCII));
  }

  @Test
  void lines_writeExactlyTheTailsLength_overWhateverFollowsItInItsPadding() {
    byte[] prefix = "{\"m\":".getBytes(StandardCharsets.US_ASCII);
    byte[] in = "a\nb\n".getBytes(StandardCharsets.US_ASCII);
    for (int n = 0; n <= 20; n++) {
      byte[] piece = "abcdefghijklmnopqrst".substring(0, n).getBytes(StandardCharsets.US_ASCII);
      LineTail tail = new LineTail(piece);
      JsonOut out = new JsonOut(8); // grows for the tails too
      assertEquals(in.length, out.lines(in, 0, in.length, prefix, 100, (src, s, e) -> tail));
      out.raw(']');
      String p = new String(piece, StandardCharsets.US_ASCII);
      assertEquals("{\"m\":\"a\"" + p + "{\"m\":\"b\"" + p + "]",
          new String(out.buffer(), 0, out.length(), StandardCharsets.US_ASCII));
      assertEquals(n, tail.length());
    }
  }

  /** What {@link JsonOut#lines} must write: prefix, {@code string()} of the line less a trailing CR, suffix. */
  private static byte[] linesByString(byte[] in, int from, int end, byte[] prefix, byte[] suffix) {
    JsonOut out = new JsonOut();
    for (int s = from, nl; s < end && (nl = indexOf(in, (byte) '\n', s, end)) >= 0; s = nl + 1) {
      int e = nl > s && in[nl - 1] == '\r' ? nl - 1 : nl;
      out.raw(prefix).string(in, s, e).raw(suffix);
    }
    return out.toBytes();
  }

  private static int indexOf(byte[] b, byte x, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == x) return i;
    }
    return -1;
  }

  @Test
  void lines_randomInput_writesWhatStringWritesLineByLine_andStopsAtTheUnterminatedTail() {
    Random random = new Random(7);
    byte[] prefix = "{\"msg\":".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = "}\n".getBytes(StandardCharsets.US_ASCII);
    byte[] alphabet = "ab \"\\\r\n\t\u0001xyz".getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < 3000; round++) {
      byte[] in = new byte[random.nextInt(400)];
      for (int k = 0; k < in.length; k++) {
        int pick = random.nextInt(10);
        in[k] = pick < 6 ? (byte) ('a' + random.nextInt(26)) : pick < 9 ? alphabet[random.nextInt(alphabet.length)]
            : (byte) random.nextInt(256); // invalid and valid UTF-8 pieces too
      }
      int from = in.length == 0 ? 0 : random.nextInt(in.length);
      JsonOut out = new JsonOut();
      long[] seen = new long[2];
      LineTail tail = new LineTail(suffix);
      int stop = out.lines(in, from, in.length, prefix, Integer.MAX_VALUE - 1, (src, start, end) -> {
        seen[0]++;
        seen[1] += end - start;
        return tail;
      });
      int lastNewline = -1;
      for (int k = in.length - 1; k >= from; k--) {
        if (in[k] == '\n') {
          lastNewline = k;
          break;
        }
      }
      int expectedStop = lastNewline == in.length - 1 || lastNewline < 0 && from == in.length ? in.length
          : lastNewline < 0 ? from : lastNewline + 1;
      assertEquals(expectedStop, stop, "round " + round);
      byte[] expected = linesByString(in, from, stop, prefix, suffix);
      assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
          new String(out.buffer(), 0, out.length(), StandardCharsets.ISO_8859_1), "round " + round);
      long invalid = 0;
      long lines = 0;
      long bytes = 0;
      for (int s = from, nl; s < stop && (nl = indexOf(in, (byte) '\n', s, stop)) >= 0; s = nl + 1) {
        int e = nl > s && in[nl - 1] == '\r' ? nl - 1 : nl;
        JsonOut one = new JsonOut();
        one.string(in, s, e);
        invalid += one.invalidUtf8();
        lines++;
        bytes += e - s;
      }
      assertEquals(invalid, out.invalidUtf8(), "round " + round);
      assertEquals(lines, seen[0], "round " + round);
      assertEquals(bytes, seen[1], "round " + round);
    }
  }

  private static final LineTail CLOSE_LINE = new LineTail("}\n".getBytes(StandardCharsets.US_ASCII));

  @Test
  void lines_tooLongLine_stopsBeforeIt_writingNothingOfIt_andCountingNothing() {
    byte[] in = "ok\n12345678\u00ff9\nnext\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] prefix = "{\"m\":".getBytes(StandardCharsets.US_ASCII);
    JsonOut out = new JsonOut();
    int stop = out.lines(in, 0, in.length, prefix, 9, (src, s, e) -> CLOSE_LINE);
    assertEquals(3, stop);
    assertEquals("{\"m\":\"ok\"}\n", new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8));
    assertEquals(0, out.invalidUtf8());
    // Exactly the maximum (CR included) is still a line.
    out.clear();
    byte[] crlf = "12345678\r\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(crlf.length, out.lines(crlf, 0, crlf.length, prefix, 9, (src, s, e) -> CLOSE_LINE));
    assertEquals("{\"m\":\"12345678\"}\n", new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8));
    assertEquals(0, out.lines(crlf, 0, crlf.length, prefix, 8, (src, s, e) -> CLOSE_LINE));
  }

  @Test
  void lines_growTheBufferForManyLongLines() {
    byte[] in = ("\"".repeat(70_000) + "\n").repeat(3).getBytes(StandardCharsets.US_ASCII);
    JsonOut out = new JsonOut();
    LineTail close = new LineTail(new byte[] {']'});
    assertEquals(in.length, out.lines(in, 0, in.length, new byte[] {'['}, 1 << 20, (src, s, e) -> close));
    assertEquals(3 * (1 + 2 + 140_000 + 1), out.length());
  }
}
