package dev.podkit.logformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FormatsTest {
  private final FormatOptions options = FormatOptions.defaults().withRegex(Pattern.compile("(?<message>.*)"), null);

  @Test
  void create_everyKnownName_givesAParser() {
    for (String name : Formats.names()) {
      assertInstanceOf(LineParser.class, Formats.create(name, options), name);
    }
  }

  @Test
  void create_accessLogNames_shareOneGrammar() {
    for (String name : new String[] {"combined", "common", "nginx", "apache"}) {
      assertInstanceOf(AccessLogParser.class, Formats.create(name, options), name);
    }
  }

  @Test
  void create_unknownName_listsKnownOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Formats.create("nginx-json", options));
    assertEquals("unknown format: nginx-json (known: plain, combined, common, nginx, apache, syslog, "
        + "syslog-rfc3164, syslog-rfc5424, logfmt, json, cri, docker, regex)", e.getMessage());
  }

  @Test
  void create_regexWithoutPattern_isRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> Formats.create("regex", FormatOptions.defaults()));
    assertEquals("format regex needs a pattern", e.getMessage());
  }

  @Test
  void create_regexWithoutNamedGroup_isRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Formats.create("regex", FormatOptions.defaults().withRegex(Pattern.compile("a(b)"), null)));
    assertEquals("regex has no named group: a(b)", e.getMessage());
  }

  @Test
  void options_nonPositiveMergeBound_isRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> FormatOptions.defaults().withMaxMergedBytes(0));
    assertEquals("maxMergedBytes < 1: 0", e.getMessage());
  }
}
