package dev.podkit.logformat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden-file tests of every format: each {@code golden/<format>/<case>.input} is parsed line
 * by line with a new parser and the results, one line per input line and then one per flushed
 * event, must equal {@code <case>.expected}. An optional {@code <case>.properties} sets the format
 * (default: the folder's name), {@code regex}, {@code timeFormat}, {@code zone}, {@code now} (the
 * clock, an instant) and {@code maxMergedBytes}. Run with {@code -Dgolden.update=true} to rewrite
 * the expected files from the actual output (then review the diff).
 */
class GoldenTest {
  static final Path ROOT = Path.of("src/test/resources/golden");

  @TestFactory
  Stream<DynamicTest> golden_eachCase_matchesExpectedFile() throws IOException {
    List<Path> cases;
    try (Stream<Path> files = Files.walk(ROOT)) {
      cases = files.filter(p -> p.toString().endsWith(".input")).sorted().toList();
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(ROOT.relativize(c).toString(), () -> check(c)));
  }

  private static void check(Path input) throws IOException {
    String base = input.toString().substring(0, input.toString().length() - ".input".length());
    String actual = String.join("\n", run(parser(input, Path.of(base + ".properties")), Files.readAllBytes(input))) + "\n";
    Path expected = Path.of(base + ".expected");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, input.toString());
  }

  /** The text of each line's result and of each flushed event. */
  static List<String> run(LineParser parser, byte[] content) {
    List<String> out = new ArrayList<>();
    LogRecord record = new LogRecord();
    for (byte[] line : lines(content)) {
      record.reset(line, 0, line.length);
      LineParser.Result result = parser.parse(record);
      out.add(result == LineParser.Result.EVENT ? "EVENT " + RecordText.of(record) : result.name());
    }
    record.reset(new byte[0], 0, 0);
    while (parser.flush(record)) {
      out.add("FLUSH " + RecordText.of(record));
    }
    return out;
  }

  /** The lines of {@code content}, split at LF only, without the empty one after a final LF. */
  static List<byte[]> lines(byte[] content) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(content, start, i));
        start = i + 1;
      }
    }
    if (start < content.length) {
      lines.add(java.util.Arrays.copyOfRange(content, start, content.length));
    }
    return lines;
  }

  private static LineParser parser(Path input, Path propertiesFile) {
    Properties p = new Properties();
    if (Files.exists(propertiesFile)) {
      try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String format = p.getProperty("format", input.getParent().getFileName().toString());
    ZoneId zone = ZoneId.of(p.getProperty("zone", "UTC"));
    Clock clock = Clock.fixed(Instant.parse(p.getProperty("now", "2025-01-15T12:00:00Z")), zone);
    FormatOptions options = FormatOptions.defaults()
        .withTime(zone, clock)
        .withMaxMergedBytes(Integer.parseInt(p.getProperty("maxMergedBytes", "1048576")));
    if (p.containsKey("regex")) {
      String timeFormat = p.getProperty("timeFormat");
      options = options.withRegex(Pattern.compile(p.getProperty("regex")),
          timeFormat == null ? null : DateTimeFormatter.ofPattern(timeFormat));
    }
    return Formats.create(format, options);
  }
}
