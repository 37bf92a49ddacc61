package dev.podkit.logformat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Jazzer fuzz tests: arbitrary bytes, split into lines, go to each parser, which must neither
 * throw nor produce a broken event ({@link RecordChecks}). In a normal build they run once over
 * their seed inputs (Jazzer's regression mode); {@code JAZZER_FUZZ=1} fuzzes each for its
 * {@code maxDuration}.
 */
class ParserFuzzTest {
  private static final FormatOptions OPTIONS = FormatOptions.defaults()
      .withTime(ZoneId.of("Europe/Berlin"), Clock.fixed(Instant.parse("2025-01-15T12:00:00Z"), ZoneOffset.UTC))
      .withMaxMergedBytes(64)
      .withRegex(Pattern.compile("^(?<time>\\S+) (?<level>\\w+) (?<status>\\d+) (?<message>.*)$"),
          DateTimeFormatter.ISO_OFFSET_DATE_TIME);

  private final LogRecord record = new LogRecord();

  private void fuzz(String format, byte[] input) {
    RecordChecks.parseAll(Formats.create(format, OPTIONS), record, input);
  }

  @FuzzTest(maxDuration = "5s")
  void accessLog_anyBytes_neverBreaks(byte[] input) {
    fuzz("combined", input);
  }

  @FuzzTest(maxDuration = "5s")
  void syslog_anyBytes_neverBreaks(byte[] input) {
    fuzz("syslog", input);
  }

  @FuzzTest(maxDuration = "5s")
  void logfmt_anyBytes_neverBreaks(byte[] input) {
    fuzz("logfmt", input);
  }

  @FuzzTest(maxDuration = "5s")
  void json_anyBytes_neverBreaks(byte[] input) {
    fuzz("json", input);
  }

  @FuzzTest(maxDuration = "5s")
  void cri_anyBytes_neverBreaks(byte[] input) {
    fuzz("cri", input);
  }

  @FuzzTest(maxDuration = "5s")
  void docker_anyBytes_neverBreaks(byte[] input) {
    fuzz("docker", input);
  }

  @FuzzTest(maxDuration = "5s")
  void regex_anyBytes_neverBreaks(byte[] input) {
    fuzz("regex", input);
  }
}
