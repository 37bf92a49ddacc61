package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.LineParser;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;
import java.io.IOException;

/**
 * The adapter's pipeline for one input, line by line, on one thread: parse (or pass on with a
 * parse-error flag), apply the field rules, decide the severity, write the schema's JSON line
 * into a buffer, and hand full buffers to the output. Nothing is dropped here: a line that does
 * not parse is written with its raw text as message.
 */
final class Adapter {
  /** Buffered JSON is handed to the output past this size, and on every {@link #idle}. */
  static final int FLUSH_BYTES = 256 * 1024;
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

  Adapter(LineParser parser, FieldRules rules, SeverityRule severity, Schema schema, Output output,
      AdapterEvents events) {
    this.parser = parser;
    this.rules = rules;
    this.severity = severity;
    this.schema = schema;
    this.output = output;
    this.events = events;
  }

  /** One line, {@code buf[start, end)} without its newline; {@code truncated} if it was cut. */
  void line(byte[] buf, int start, int end, boolean truncated) throws IOException {
    events.lineRead(end - start);
    record.reset(buf, start, end);
    LineParser.Result result = parser.parse(record);
    if (result == LineParser.Result.PENDING) {
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

  /** No more input for now: parts a parser holds become an event, and buffered JSON is written. */
  void idle() throws IOException {
    // CRI and Docker parsers may hold parts of stdout and stderr at once: one event per call.
    while (parser.flush(record)) {
      emit();
    }
    flush();
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
}
