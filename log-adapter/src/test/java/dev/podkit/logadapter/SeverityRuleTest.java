package dev.podkit.logadapter;

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
  void of_nothingFound_givesTheDefault() {
    assertEquals(Severity.INFO, new SeverityRule(true, Severity.INFO).of(line("hello")));
  }
}
