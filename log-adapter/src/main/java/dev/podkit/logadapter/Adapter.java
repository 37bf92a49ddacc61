package dev.podkit.logadapter;

import dev.podkit.logformat.LineParser;
import dev.podkit.logformat.LogRecord;
import dev.podkit.logformat.PlainParser;
import dev.podkit.logformat.Severity;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.LineTail;
import java.io.IOException;

/**
 * The adapter's pipeline for one input, line by line, on one thread: parse (or pass on with a
 * parse-error flag), apply the field rules, decide the severity, write the schema's JSON line
 * into a buffer, and hand full buffers to the output. Nothing is dropped here: a line that does
 * not parse is written with its raw text as message.
 *
 * <p>Plain lines into the plain schema with no field rules (the docs' {@code {"msg": line}}
 * job) may also go a faster way, {@link #wrapLines}: framing, escaping and the severity keyword
 * check in one pass over the input, writing the same bytes and reporting the same counts.
 */
final class Adapter {
  /** Buffered JSON is handed to the output past this size, and on every {@link #idle}. */
  static final int FLUSH_BYTES = 256 * 1024;
  /**
   * How long a CRI or Docker parser's parts wait for their last one with no new part before
   * {@link #idle} makes them an event as they are: the runtime writes the parts of a long line
   * together, but a read can fall between two of them.
   */
  static final long PARTS_TIMEOUT_NANOS = 5_000_000_000L;
  private static final String TRUNCATED = "truncated";

  private final LineParser parser;
  private final FieldRules rules;
  private final SeverityRule severity;
  private final Schema schema;
  private final Output output;
  private final AdapterEvents events;
  private final LogRecord record = new LogRecord();
  private final JsonOut out = new JsonOut();
  private long invalidSeen;
  /** When the parser was last given a part it holds (System.nanoTime()). */
  private long lastPartNanos;
  /** Null unless lines can be wrapped the fast way. */
  private final byte[] wrapPrefix;
  private final WrapEnd wrapEnd;

  Adapter(LineParser parser, FieldRules rules, SeverityRule severity, Schema schema, Output output,
      AdapterEvents events) {
    this(parser, rules, severity, schema, output, events, true);
  }

  /** {@code fastWrap}: whether plain lines may take the fast way (tests compare both). */
  Adapter(LineParser parser, FieldRules rules, SeverityRule severity, Schema schema, Output output,
      AdapterEvents events, boolean fastWrap) {
    this.parser = parser;
    this.rules = rules;
    this.severity = severity;
    this.schema = schema;
    this.output = output;
    this.events = events;
    if (fastWrap && parser instanceof PlainParser && schema instanceof PlainSchema plain && rules.isEmpty()) {
      wrapPrefix = plain.wrapPrefix();
      wrapEnd = new WrapEnd(plain, severity);
    } else {
      wrapPrefix = null;
      wrapEnd = null;
    }
  }

  /** Whether {@link #wrapLines} may be used. */
  boolean wrapsLines() {
    return wrapPrefix != null;
  }

  /**
   * The fast way for whole lines of at most {@code maxLineBytes} (before the newline) at the
   * start of {@code buf[start, end)}: writes them and returns where it stopped, at a longer line
   * or an unterminated one, which the caller frames as usual and hands to {@link #line}.
   */
  int wrapLines(byte[] buf, int start, int end, int maxLineBytes) throws IOException {
    int stop = out.lines(buf, start, end, wrapPrefix, maxLineBytes, wrapEnd);
    if (out.length() >= FLUSH_BYTES) {
      flush();
    }
    return stop;
  }

  /** One line, {@code buf[start, end)} without its newline; {@code truncated} if it was cut. */
  void line(byte[] buf, int start, int end, boolean truncated) throws IOException {
    events.lineRead(end - start);
    record.reset(buf, start, end);
    LineParser.Result result = parser.parse(record);
    if (result == LineParser.Result.PENDING) {
      lastPartNanos = System.nanoTime();
      return;
    }
    if (result == LineParser.Result.NO_MATCH) {
      record.reset(buf, start, end);
      record.parseError();
      events.parseError();
    }
    if (truncated) {
      record.bool(TRUNCATED, true);
      events.lineTruncated();
    }
    emit();
  }

  /**
   * No more input for now: buffered JSON is written, and parts a parser has held for {@link
   * #PARTS_TIMEOUT_NANOS} with no new part become an event as they are (their last part may
   * still be on its way: a read can end between two parts).
   */
  void idle() throws IOException {
    if (parser.holdsParts() && System.nanoTime() - lastPartNanos >= PARTS_TIMEOUT_NANOS) {
      flushParts();
    }
    flush();
  }

  /** The input ended (or the adapter stops): everything held is written. */
  void end() throws IOException {
    flushParts();
    flush();
  }

  private void flushParts() throws IOException {
    // CRI and Docker parsers may hold parts of stdout and stderr at once: one event per call.
    while (parser.flush(record)) {
      emit();
    }
  }

  private void emit() throws IOException {
    if (!rules.isEmpty()) {
      rules.apply(record);
    }
    Severity s = severity.of(record);
    schema.write(record, s, out);
    events.event(record, s);
    if (out.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  private void flush() throws IOException {
    if (wrapEnd != null) {
      wrapEnd.report(events);
    }
    long invalid = out.invalidUtf8();
    if (invalid != invalidSeen) {
      events.invalidUtf8(invalid - invalidSeen);
      invalidSeen = invalid;
    }
    if (out.length() > 0) {
      output.write(out.buffer(), 0, out.length());
      events.written(out.length());
      out.clear();
    }
    output.flush();
  }

  /** Ends each wrapped line: severity and the schema's constant tail; counts what it wrote. */
  private static final class WrapEnd implements JsonOut.LineEnd {
    private static final Severity[] SEVERITIES = Severity.values();
    private final SeverityRule severity;
    /** By severity ordinal; the last is for none. */
    private final LineTail[] tails = new LineTail[SEVERITIES.length + 1];
    private final long[] counts = new long[SEVERITIES.length + 1];
    private long lines;
    private long bytes;

    WrapEnd(PlainSchema schema, SeverityRule severity) {
      this.severity = severity;
      for (int k = 0; k <= SEVERITIES.length; k++) {
        tails[k] = new LineTail(schema.wrapTail(k == SEVERITIES.length ? null : SEVERITIES[k]));
      }
    }

    @Override
    public LineTail after(byte[] src, int start, int end) {
      lines++;
      bytes += end - start;
      Severity s = severity.ofMessage(src, start, end);
      int k = s == null ? SEVERITIES.length : s.ordinal();
      counts[k]++;
      return tails[k];
    }

    void report(AdapterEvents events) {
      if (lines == 0) {
        return;
      }
      events.linesRead(lines, bytes);
      for (int k = 0; k < counts.length; k++) {
        if (counts[k] != 0) {
          events.events(k == SEVERITIES.length ? null : SEVERITIES[k], counts[k]);
          counts[k] = 0;
        }
      }
      lines = 0;
      bytes = 0;
    }
  }
}
