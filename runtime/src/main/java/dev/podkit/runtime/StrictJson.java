package dev.podkit.runtime;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader: RFC 8259 only (valid UTF-8, no trailing commas, no duplicate keys,
 * nothing after the value), into maps, lists, strings, {@link BigDecimal}s, booleans and null. A
 * violation is an {@link IllegalArgumentException} whose message says where. The test fixtures
 * answer it as a 400, so a sink that writes sloppy JSON fails its test; config-syncer uses it to
 * refuse a JSON file that does not parse before it is published.
 */
public final class StrictJson {
  private final String s;
  private int i;

  private StrictJson(String s) {
    this.s = s;
  }

  /** Parses UTF-8 {@code bytes} holding exactly one JSON value. */
  public static Object parse(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("invalid UTF-8");
    }
    return parse(text);
  }

  /** Parses {@code text} holding exactly one JSON value. */
  public static Object parse(String text) {
    StrictJson p = new StrictJson(text);
    Object v = p.value();
    p.space();
    if (p.i != text.length()) {
      throw p.fail("text after the value");
    }
    return v;
  }

  private Object value() {
    space();
    if (i >= s.length()) {
      throw fail("unexpected end");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    space();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw fail("expected a key");
      }
      String k = string();
      space();
      expect(':');
      if (m.containsKey(k)) {
        throw fail("duplicate key '" + k + "'");
      }
      m.put(k, value());
      space();
      if (peek() == ',') {
        i++;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> array() {
    List<Object> a = new ArrayList<>();
    i++;
    space();
    if (peek() == ']') {
      i++;
      return a;
    }
    while (true) {
      a.add(value());
      space();
      if (peek() == ',') {
        i++;
      } else {
        expect(']');
        return a;
      }
    }
  }

  private String string() {
    StringBuilder b = new StringBuilder();
    i++;
    while (true) {
      if (i >= s.length()) {
        throw fail("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw fail("control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = i < s.length() ? s.charAt(i++) : 0;
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw fail("short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw fail("bad \\u escape");
          }
          i += 4;
        }
        default -> throw fail("bad escape");
      }
    }
  }

  private BigDecimal number() {
    int start = i;
    if (peek() == '-') i++;
    if (peek() == '0') {
      i++;
    } else if (!digits()) {
      throw fail("unexpected character '" + s.charAt(start) + "'");
    }
    if (peek() == '.') {
      i++;
      if (!digits()) throw fail("digits expected after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') i++;
      if (!digits()) throw fail("digits expected in the exponent");
    }
    return new BigDecimal(s.substring(start, i));
  }

  private boolean digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
    return i > start;
  }

  private Object word(String w, Object v) {
    if (!s.startsWith(w, i)) {
      throw fail("unexpected word");
    }
    i += w.length();
    return v;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw fail("expected '" + c + "'");
    }
    i++;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : 0;
  }

  private void space() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("invalid JSON at " + i + ": " + why);
  }
}
