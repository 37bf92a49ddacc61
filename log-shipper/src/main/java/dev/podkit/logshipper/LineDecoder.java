package dev.podkit.logshipper;

import dev.podkit.logformat.Fields;
import dev.podkit.logformat.LineParser;
import dev.podkit.logformat.LogRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Turns one file's framed lines into events for its format: raw lines as they are; CRI and
 * Docker json-file lines with their split parts merged per stream (the parser holds the parts),
 * their content as the message, their stream and time kept. A line that does not match the
 * format is shipped raw and counted, never dropped. One instance per file: parsers keep state.
 */
final class LineDecoder {
  /** Where decoded events go. */
  interface Out {
    void event(byte[] message, long epochNanos, String stream, boolean truncated);
  }

  private final LineParser parser; // null for raw
  private final LogRecord record = new LogRecord();
  private final Runnable parseError;

  LineDecoder(Supplier<LineParser> parsers, Runnable parseError) {
    this.parser = parsers == null ? null : parsers.get();
    this.parseError = parseError;
  }

  /** Decodes one line; returns whether the parser held it as a part of an event to come. */
  boolean line(byte[] buf, int start, int end, boolean truncated, long readNanos, Out out) {
    if (parser == null) {
      out.event(Arrays.copyOfRange(buf, start, end), readNanos, null, truncated);
      return false;
    }
    record.reset(buf, start, end);
    switch (parser.parse(record)) {
      case PENDING -> {
        return true;
      }
      case NO_MATCH -> {
        parseError.run();
        out.event(Arrays.copyOfRange(buf, start, end), readNanos, null, truncated);
      }
      case EVENT -> emit(readNanos, truncated, out);
    }
    return false;
  }

  /** Whether the parser holds parts of an event (lines read, not in an event yet). */
  boolean holds() {
    return parser != null && parser.holdsParts();
  }

  /** Ends the parts a parser holds (their end did not come in time, or the shipper stops). */
  void flush(long readNanos, Out out) {
    while (parser != null && parser.flush(record)) {
      emit(readNanos, false, out);
    }
  }

  private void emit(long readNanos, boolean truncated, Out out) {
    byte[] message;
    if (record.messageText() != null) {
      message = record.messageText().getBytes(StandardCharsets.UTF_8);
    } else if (record.messageStart() >= 0) {
      message = Arrays.copyOfRange(record.src(), record.messageStart(), record.messageEnd());
    } else {
      message = Arrays.copyOfRange(record.src(), record.srcStart(), record.srcEnd());
    }
    int s = record.indexOf(Fields.STREAM);
    String stream = s < 0 ? null : record.valueAsString(s);
    long time = record.hasTime() ? record.timeSeconds() * 1_000_000_000L + record.timeNanos() : readNanos;
    out.event(message, time, stream, truncated);
  }
}
