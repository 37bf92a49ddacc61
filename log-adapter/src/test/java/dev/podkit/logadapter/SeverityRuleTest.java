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
  void of_nothingFound_givesTheDefault() {
    assertEquals(Severity.INFO, new SeverityRule(true, Severity.INFO).of(line("hello")));
  }
}
