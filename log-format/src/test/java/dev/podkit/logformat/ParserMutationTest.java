package dev.podkit.logformat;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bounded, seeded mutation fuzzer that runs in every build: {@value #RUNS} inputs per format,
 * made from the golden inputs of all formats by flipping, inserting, deleting and splicing bytes,
 * go through one parser (so merge state carries from line to line), which must neither throw nor
 * produce a broken event ({@link RecordChecks}). {@code -Dfuzz.seed=N} replays another sequence;
 * a failure names its seed, run and input.
 */
class ParserMutationTest {
  static final int RUNS = 200_000;
  private static final byte[][] TOKENS = tokens(
      " ", "\"", "\\", "[", "]", "{", "}", "<", ">", "=", ":", "-", "\n", "\t", "\r", "\u0000",
      "\\u", "\\ud800", "\\x", "\"\"", "P ", "F ", "stdout ", "stderr ", "<34>1 ", "999999999999999999999",
      "1e999", "-0", "0.5", "2024-02-29T23:59:60.123456789+14:00", "10/Oct/2000:13:55:36 -0700",
      "Feb 29 ", "null", "true", "[1,{", "\u00e9", "\ud83d\ude00");
  private static final byte[] BAD_UTF8 = {(byte) 0xff, (byte) 0xc3, (byte) 0x80, (byte) 0xed, (byte) 0xa0, (byte) 0xef, (byte) 0xbb, (byte) 0xbf};

  private static List<byte[]> seeds;

  @BeforeAll
  static void loadSeeds() throws IOException {
    seeds = new ArrayList<>();
    try (Stream<Path> files = Files.walk(GoldenTest.ROOT)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".input")).sorted().toList()) {
        seeds.addAll(GoldenTest.lines(Files.readAllBytes(p)));
      }
    }
    assertFalse(seeds.isEmpty());
  }

  static List<String> formats() {
    return Formats.names();
  }

  @ParameterizedTest
  @MethodSource("formats")
  void parse_mutatedGoldenLines_neverBreaks(String format) {
    long seed = Long.getLong("fuzz.seed", 20_260_101L) ^ format.hashCode();
    Random random = new Random(seed);
    FormatOptions options = FormatOptions.defaults()
        .withTime(ZoneId.of("America/New_York"), Clock.fixed(Instant.parse("2025-03-09T07:00:00Z"), ZoneOffset.UTC))
        .withMaxMergedBytes(300)
        .withRegex(Pattern.compile("^(?<time>\\S+) (?<level>\\w+)? ?(?<status>\\d+)? (?<message>.*)$"), null);
    LineParser parser = Formats.create(format, options);
    LogRecord record = new LogRecord();
    for (int run = 0; run < RUNS; run++) {
      byte[] input = mutate(random);
      try {
        // Lines sit inside a larger array, as a reader's buffer holds them.
        byte[] buffer = new byte[input.length + 4];
        System.arraycopy(input, 0, buffer, 2, input.length);
        record.reset(buffer, 2, 2 + input.length);
        if (parser.parse(record) == LineParser.Result.EVENT) {
          RecordChecks.check(record);
        }
        if (run % 1_000 == 999) {
          record.reset(buffer, 0, 0);
          while (parser.flush(record)) {
            RecordChecks.check(record);
          }
        }
      } catch (RuntimeException | AssertionError | StackOverflowError e) {
        throw new AssertionError(format + " seed " + seed + " run " + run + " input "
            + RecordText.quote(new String(input, StandardCharsets.ISO_8859_1)), e);
      }
    }
  }

  private static byte[] mutate(Random random) {
    byte[] b = seeds.get(random.nextInt(seeds.size()));
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      b = switch (random.nextInt(7)) {
        case 0 -> flip(b, random);
        case 1 -> insert(b, random.nextInt(b.length + 1), TOKENS[random.nextInt(TOKENS.length)]);
        case 2 -> insert(b, random.nextInt(b.length + 1), new byte[] {BAD_UTF8[random.nextInt(BAD_UTF8.length)]});
        case 3 -> delete(b, random);
        case 4 -> Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length)); // truncated line
        case 5 -> splice(b, seeds.get(random.nextInt(seeds.size())), random);
        default -> b;
      };
    }
    return b;
  }

  private static byte[] flip(byte[] b, Random random) {
    if (b.length == 0) {
      return b;
    }
    byte[] out = b.clone();
    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    return out;
  }

  private static byte[] insert(byte[] b, int at, byte[] token) {
    byte[] out = new byte[b.length + token.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(token, 0, out, at, token.length);
    System.arraycopy(b, at, out, at + token.length, b.length - at);
    return out;
  }

  private static byte[] delete(byte[] b, Random random) {
    if (b.length == 0) {
      return b;
    }
    int at = random.nextInt(b.length);
    int n = 1 + random.nextInt(Math.min(8, b.length - at));
    byte[] out = new byte[b.length - n];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, at + n, out, at, b.length - at - n);
    return out;
  }

  private static byte[] splice(byte[] a, byte[] b, Random random) {
    int cutA = random.nextInt(a.length + 1);
    int cutB = random.nextInt(b.length + 1);
    byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
    System.arraycopy(b, cutB, out, cutA, b.length - cutB);
    return out;
  }

  private static byte[][] tokens(String... texts) {
    byte[][] out = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      out[i] = texts[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }
}
