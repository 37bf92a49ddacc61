package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static String quote(String s) {
    return Json.string(new StringBuilder(), s).toString();
  }

  @Test
  void string_everyControlCharacter_isEscaped() {
    for (char c = 0; c < 0x20; c++) {
      String out = quote("a" + c + "b");
      assertTrue(out.matches("\"a\\\\(u00[01][0-9a-f]|[nrt])b\""), Integer.toHexString(c) + " -> " + out);
    }
  }

  @Test
  void string_quotesBackslashesAndUnicode_areWrittenCorrectly() {
    assertEquals("\"say \\\"hi\\\" \\\\ bye\"", quote("say \"hi\" \\ bye"));
    assertEquals("\"héllo 😀\"", quote("héllo 😀"));
    assertEquals("\"\\ud83d x\"", quote("\ud83d x"));
  }

  @Test
  void string_randomText_alwaysParsesBackToTheSameText() {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      for (int j = r.nextInt(20); j > 0; j--) {
        s.append((char) r.nextInt(0x3000));
      }
      String text = s.toString();
      if (hasLoneSurrogate(text)) continue;
      assertEquals(text, MiniJsonReader.readString(quote(text)));
    }
  }

  @Test
  void value_typedValues_keepTheirJsonTypes() {
    StringBuilder b = new StringBuilder();
    Json.value(b, 5).append(',');
    Json.value(b, 7L).append(',');
    Json.value(b, true).append(',');
    Json.value(b, null).append(',');
    Json.value(b, Double.NaN).append(',');
    Json.value(b, java.time.Duration.ofSeconds(90)).append(',');
    Json.value(b, java.util.List.of("a\"", 1, java.util.List.of()));
    assertEquals("5,7,true,null,\"NaN\",\"1m30s\",[\"a\\\"\",1,[]]", b.toString());
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) return true;
      if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) return true;
      if (Character.isHighSurrogate(c)) i++;
    }
    return false;
  }

  /** An independent decoder of one JSON string literal, so the test does not trust the writer. */
  static final class MiniJsonReader {
    static String readString(String json) {
      if (json.charAt(0) != '"' || json.charAt(json.length() - 1) != '"') throw new AssertionError(json);
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < json.length() - 1; i++) {
        char c = json.charAt(i);
        if (c < 0x20) throw new AssertionError("raw control character in " + json);
        if (c == '"') throw new AssertionError("raw quote in " + json);
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = json.charAt(++i);
        switch (e) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case '"', '\\', '/' -> out.append(e);
          case 'u' -> {
            out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> throw new AssertionError("bad escape in " + json);
        }
      }
      return out.toString();
    }
  }
}
