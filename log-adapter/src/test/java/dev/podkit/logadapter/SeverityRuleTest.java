package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeverityRuleTest {
  private static LogRecord line(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    LogRecord r = new LogRecord();
    r.reset(b, 0, b.length);
    return r;
  }

  private final SeverityRule rule = new SeverityRule(true, null);

  @Test
  void of_levelText_winsOverEverythingElse() {
    LogRecord r = line("ERROR in the message");
    r.severity("warn");
    assertEquals(Severity.WARNING, rule.of(r));
    r.severity("3");
    assertEquals(Severity.ERROR, rule.of(r));
  }

  @Test
  void of_statusClass_forAccessLogs() {
    LogRecord r = line("GET /");
    r.number(Fields.STATUS, 502);
    assertEquals(Severity.ERROR, rule.of(r));
    r = line("GET /");
    r.number(Fields.STATUS, 404);
    assertEquals(Severity.WARNING, rule.of(r));
    r = line("GET /");
    r.number(Fields.STATUS, 200);
    assertEquals(Severity.INFO, rule.of(r));
  }

  @Test
  void of_keywords_wholeUpperCaseWordsNearTheStart() {
    assertEquals(Severity.ERROR, rule.of(line("2024-01-01 12:00:00 ERROR payment failed")));
    assertEquals(Severity.WARNING, rule.of(line("[WARN] disk 91% full")));
    assertEquals(Severity.CRITICAL, rule.of(line("FATAL: out of memory")));
    assertNull(rule.of(line("0 errors found, ERRORS=0 and MYERROR")));
    assertNull(rule.of(line("x".repeat(120) + " ERROR late in the line")));
    assertNull(new SeverityRule(false, null).of(line("ERROR but keywords are off")));
  }

  @Test
  void of_randomLines_agreeWithAPlainRegexReading() {
    java.util.Random rnd = new java.util.Random(99);
    String[] words = {"ERROR", "WARN", "INFO", "DEBUG", "FATAL", "xERROR", "ERRORS", "Error", "GET", "HTTP", "V", "W"};
    java.util.regex.Pattern reference = java.util.regex.Pattern.compile(
        "(?<![A-Za-z0-9_])(EMERGENCY|ALERT|CRITICAL|FATAL|SEVERE|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG|TRACE)(?![A-Za-z0-9_])");
    for (int n = 0; n < 20_000; n++) {
      StringBuilder line = new StringBuilder();
      while (line.length() < rnd.nextInt(140)) {
        line.append(rnd.nextInt(4) == 0 ? words[rnd.nextInt(words.length)] : Integer.toString(rnd.nextInt(1000), 36))
            .append(" -[]:".charAt(rnd.nextInt(5)));
      }
      String text = line.toString();
      String window = text.substring(0, Math.min(text.length(), SeverityRule.KEYWORD_WINDOW));
      var m = reference.matcher(window);
      Severity expected = m.find() ? Severity.parse(m.group(1)) : null;
      assertEquals(expected, rule.of(line(text)), text);
    }
  }

  @Test
  void keyword_randomBytesAtAnyOffset_agreeWithAPlainRegexReading() {
    java.util.Random rnd = new java.util.Random(2026);
    String[] words = {"ERROR", "WARNING", "WARN", "EMERGENCY", "NOTICE", "TRACE", "ALERT", "SEVERE", "CRITICAL",
        "ERRORS", "WARNI", "XWARN", "HTTP", "GET", "DELETE", "DEBU", "INFOX", "ABCDEFGHIJK", "A", "ZZ"};
    byte[] filler = " -_[]:=\"az09AZ\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    java.util.regex.Pattern reference = java.util.regex.Pattern.compile(
        "(?<![A-Za-z0-9_])(EMERGENCY|ALERT|CRITICAL|FATAL|SEVERE|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG|TRACE)(?![A-Za-z0-9_])");
    for (int n = 0; n < 50_000; n++) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      int length = rnd.nextInt(160);
      while (bytes.size() < length) {
        if (rnd.nextInt(3) == 0) {
          bytes.writeBytes(words[rnd.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
        } else {
          bytes.write(rnd.nextInt(8) == 0 ? rnd.nextInt(256) : filler[rnd.nextInt(filler.length)]);
        }
      }
      byte[] b = bytes.toByteArray();
      int start = b.length == 0 ? 0 : rnd.nextInt(Math.min(b.length, 20));
      int end = start + rnd.nextInt(b.length - start + 1);
      int windowEnd = Math.min(end, start + SeverityRule.KEYWORD_WINDOW);
      var m = reference.matcher(new String(b, start, windowEnd - start, StandardCharsets.ISO_8859_1));
      Severity expected = m.find() ? Severity.parse(m.group(1)) : null;
      assertEquals(expected, SeverityRule.keyword(b, start, end),
          () -> new String(b, start, end - start, StandardCharsets.ISO_8859_1) + " from " + start);
    }
  }

  @Test
  void of_nothingFound_givesTheDefault() {
    assertEquals(Severity.INFO, new SeverityRule(true, Severity.INFO).of(line("hello")));
  }

  /** The keyword search, one byte at a time: what the eight-at-a-time search must agree with. */
  private static Severity keywordByBytes(byte[] b, int start, int end) {
    String[] words = {"EMERGENCY", "ALERT", "CRITICAL", "FATAL", "SEVERE", "ERROR", "WARNING", "WARN", "NOTICE", "INFO",
        "DEBUG", "TRACE"};
    end = Math.min(end, start + SeverityRule.KEYWORD_WINDOW);
    for (int i = start; i < end; i++) {
      if (i > start && isWord(b[i - 1])) continue;
      for (String w : words) {
        int e = i + w.length();
        if (e <= end && new String(b, i, w.length(), StandardCharsets.ISO_8859_1).equals(w) && (e == end || !isWord(b[e]))) {
          return Severity.parse(w);
        }
      }
    }
    return null;
  }

  private static boolean isWord(byte c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  @Test
  void keyword_agreesWithAByteByByteSearch_onRandomLines() {
    java.util.Random random = new java.util.Random(5);
    String[] pieces = {"ERROR", "WARN", "WARNING", "INFO", "DEBUG", "TRACE", "FATAL", "ALERT", "NOTICE", "SEVERE",
        "CRITICAL", "EMERGENCY", "ERR", "INF", "HTTP", "GET", " ", "_", "-", ":", "[", "]", "x", "é", "9", "\u00ff"};
    for (int round = 0; round < 20_000; round++) {
      StringBuilder line = new StringBuilder();
      int n = random.nextInt(40);
      for (int k = 0; k < n; k++) {
        line.append(pieces[random.nextInt(pieces.length)]);
      }
      // Padding after the line of up to 200 bytes: both the eight-at-a-time reads and the ones
      // near the end of the array are taken.
      // Keyword letters past the end must not count.
      String after = (random.nextBoolean() ? "#" : "ERROR ").repeat(random.nextInt(40));
      byte[] b = ("####" + line + "####" + after).getBytes(StandardCharsets.ISO_8859_1);
      int start = random.nextInt(5);
      int end = b.length - after.length() - random.nextInt(5);
      assertEquals(keywordByBytes(b, start, end), SeverityRule.keyword(b, start, end), "line '" + line + "'");
    }
  }
}
