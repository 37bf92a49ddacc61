package dev.podkit.logadapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.logformat.FormatOptions;
import dev.podkit.logformat.Formats;
import dev.podkit.logformat.LogRecord;
import dev.podkit.logformat.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast way of wrapping plain lines against the line-by-line way, on the same input read in
 * random pieces: same bytes out, same counts reported.
 */
class WrapLinesTest {
  private static final String[] PIECES = {"ERROR", "WARN", "INFO", " ", "\"", "\\", "\r", "\r\n", "\n", "\t", "\u0001",
      "é", "日本", "xyz", "GET /index.html HTTP/1.1", "_ERROR", "FATAL:", "\u00ff"};

  /** Counts what the adapter reports, the bulk calls and the per-line ones alike. */
  private static final class Counts implements AdapterEvents {
    long lines;
    long bytes;
    long truncated;
    long invalid;
    long written;
    final long[] bySeverity = new long[Severity.values().length + 1];

    @Override public void lineRead(int n) { lines++; bytes += n; }
    @Override public void linesRead(long n, long b) { lines += n; bytes += b; }
    @Override public void lineTruncated() { truncated++; }
    @Override public void invalidUtf8(long n) { invalid += n; }
    @Override public void written(int n) { written += n; }
    @Override public void event(LogRecord r, Severity s) { events(s, 1); }
    @Override public void events(Severity s, long n) { bySeverity[s == null ? bySeverity.length - 1 : s.ordinal()] += n; }

    List<Object> all() {
      return List.of(lines, bytes, truncated, invalid, written, java.util.Arrays.toString(bySeverity));
    }
  }

  /** Hands out the input in pieces of random size, as a pipe does. */
  private static InputStream chunked(byte[] data, Random random) {
    return new InputStream() {
      int at;

      @Override public int read() {
        return at < data.length ? data[at++] & 0xFF : -1;
      }

      @Override public int read(byte[] b, int off, int len) {
        if (at == data.length) return -1;
        int n = Math.min(Math.min(len, data.length - at), 1 + random.nextInt(random.nextBoolean() ? 40 : 4000));
        System.arraycopy(data, at, b, off, n);
        at += n;
        return n;
      }
    };
  }

  private static String run(byte[] input, boolean fast, SeverityRule severity, Schema.Extras extras, int maxLine,
      long seed, Counts counts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Adapter adapter = new Adapter(Formats.create("plain", FormatOptions.defaults()), FieldRules.NONE, severity,
        Schema.of(Schema.Name.PLAIN, "msg", extras, "p"), StreamOutput.of(out), counts, fast);
    assertEquals(fast, adapter.wrapsLines());
    new StdinInput(chunked(input, new Random(seed)), maxLine).run(adapter, () -> false);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void fastWrap_writesAndCountsExactlyWhatTheLineByLineWayDoes() throws IOException {
    Random random = new Random(11);
    Schema.Extras extras = new Schema.Extras(List.<String[]>of(new String[] {"pod", "web-1"}),
        List.<String[]>of(new String[] {"team", "a\"b"}));
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int pieces = random.nextInt(400);
      for (int k = 0; k < pieces; k++) {
        text.append(random.nextInt(3) == 0 ? "a".repeat(random.nextInt(120)) : PIECES[random.nextInt(PIECES.length)]);
      }
      byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
      if (random.nextBoolean() && input.length > 3) {
        input[random.nextInt(input.length)] = (byte) (0x80 + random.nextInt(0x80)); // cuts a sequence, maybe
      }
      SeverityRule severity = new SeverityRule(random.nextBoolean(), random.nextBoolean() ? Severity.INFO : null);
      Schema.Extras e = random.nextBoolean() ? extras : Schema.Extras.NONE;
      int maxLine = 64 + random.nextInt(300);
      long seed = random.nextLong();
      Counts slow = new Counts();
      Counts fast = new Counts();
      String expected = run(input, false, severity, e, maxLine, seed, slow);
      String actual = run(input, true, severity, e, maxLine, seed + 1, fast);
      assertEquals(expected, actual, "round " + round);
      assertEquals(slow.all(), fast.all(), "round " + round);
    }
  }

  @Test
  void fastWrap_isTakenOnlyForPlainLinesIntoThePlainSchemaWithoutRules() {
    Counts counts = new Counts();
    SeverityRule severity = new SeverityRule(true, null);
    var out = StreamOutput.of(new ByteArrayOutputStream());
    assertTrue(new Adapter(Formats.create("plain", FormatOptions.defaults()), FieldRules.NONE, severity,
        Schema.of(Schema.Name.PLAIN, "message", Schema.Extras.NONE, "p"), out, counts).wrapsLines());
    assertEquals(false, new Adapter(Formats.create("nginx", FormatOptions.defaults()), FieldRules.NONE, severity,
        Schema.of(Schema.Name.PLAIN, "msg", Schema.Extras.NONE, "p"), out, counts).wrapsLines());
    assertEquals(false, new Adapter(Formats.create("plain", FormatOptions.defaults()), FieldRules.NONE, severity,
        Schema.of(Schema.Name.GCP, "msg", Schema.Extras.NONE, "p"), out, counts).wrapsLines());
  }
}
