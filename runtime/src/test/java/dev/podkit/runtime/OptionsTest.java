package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
  enum Color { RED, GREEN }

  static final Option<Duration> TIMEOUT = Option.duration("timeout", Duration.ofSeconds(5), "How long.");
  static final Option<Integer> COUNT = Option.integer("count", 3, 1, 10, "How many.");
  static final Option<Boolean> VERBOSE = Option.flag("verbose", "Say more.");
  static final Option<Color> COLOR = Option.choice("color", Color.class, Color.RED, "Which.");
  static final Option<String> HEADER = Option.text("header", "H", "", "A header.").repeatable();
  static final Options OPTIONS = new Options("tool", "1.0", "[options] ARG...", "Does things.\n\nExamples:\n  tool x",
      List.of(TIMEOUT, COUNT, VERBOSE, COLOR, HEADER));

  @Test
  void parse_flagBeatsEnvBeatsDefault() {
    var p = OPTIONS.parse(new String[] {"--timeout", "2s"}, Map.of("PODKIT_TIMEOUT", "9s", "PODKIT_COUNT", "7"));
    assertEquals(Duration.ofSeconds(2), p.get(TIMEOUT));
    assertEquals(7, p.get(COUNT));
    assertEquals(Color.RED, p.get(COLOR));
    assertTrue(p.problems().isEmpty());
  }

  @Test
  void parse_equalsFormFlagsAndPositionals_areSeparated() {
    var p = OPTIONS.parse(new String[] {"a", "--color=green", "--verbose", "b", "--", "--not-an-option"}, Map.of());
    assertEquals(List.of("a", "b", "--not-an-option"), p.arguments());
    assertEquals(Color.GREEN, p.get(COLOR));
    assertTrue(p.get(VERBOSE));
  }

  @Test
  void parse_repeatable_keepsEveryValue_andEnvSplitsOnCommas() {
    var p = OPTIONS.parse(new String[] {"--header", "a=1", "--header=b=2"}, Map.of());
    assertEquals(List.of("a=1", "b=2"), p.all(HEADER));
    var e = OPTIONS.parse(new String[0], Map.of("PODKIT_HEADER", "x=1, y=2"));
    assertEquals(List.of("x=1", "y=2"), e.all(HEADER));
  }

  @Test
  void parse_manyProblems_areAllReportedAtOnce() {
    var p = OPTIONS.parse(new String[] {"--timeout", "soon", "--count", "99", "--colour", "red", "-x", "--color"},
        Map.of("PODKIT_VERBOSE", "maybe"));
    assertEquals(List.of(
        "--timeout: bad duration 'soon' (use a number and a unit: 500ms, 10s, 2m, 1h30m)",
        "--count: out of range [1, 10]: 99",
        "unknown option --colour",
        "unknown option -x",
        "--color needs a value (red|green)",
        "PODKIT_VERBOSE: not true or false: 'maybe'"), p.problems());
    assertEquals(List.of("red"), p.arguments());
  }

  @Test
  void usageError_printsOneLinePerProblemAndTheHint_andReturns2() {
    var bytes = new ByteArrayOutputStream();
    int code = OPTIONS.usageError(List.of("one", "two"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertEquals("tool: error: one\ntool: error: two\nRun 'tool --help' for usage.\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpText_listsEveryOptionWithItsVariableAndDefault() {
    var p = OPTIONS.parse(new String[] {"--help"}, Map.of());
    assertTrue(p.help());
    String help = OPTIONS.helpText();
    assertTrue(help.startsWith("Usage: tool [options] ARG...\n\nDoes things.\n"), help);
    assertTrue(help.contains("--timeout DURATION"), help);
    assertTrue(help.contains("How long. (default 5s) [PODKIT_TIMEOUT]"), help);
    assertTrue(help.contains("--color red|green"), help);
    assertTrue(help.contains("[PODKIT_VERBOSE]"), help);
    assertTrue(help.endsWith("Examples:\n  tool x\n"), help);
    assertFalse(p.version());
  }
}
