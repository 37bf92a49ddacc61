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
}
