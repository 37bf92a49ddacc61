package dev.podkit.logformat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The properties every parser must keep on any input, for the fuzz tests: parsing never throws,
 * and an event's byte ranges lie inside its source, its JSON ranges are one valid JSON value each,
 * and its time's nanoseconds are in range.
 */
final class RecordChecks {
  private static final JsonFactory JSON = new JsonFactory();

  private RecordChecks() {}

  /** Parses each LF-separated line of {@code input} with {@code parser}, then flushes, checking each event. */
  static void parseAll(LineParser parser, LogRecord record, byte[] input) {
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == '\n') {
        record.reset(input, start, i);
        if (parser.parse(record) == LineParser.Result.EVENT) {
          check(record);
        }
        start = i + 1;
      }
    }
    record.reset(input, 0, 0);
    for (int i = 0; i < 4 && parser.flush(record); i++) {
      check(record);
    }
  }

  /** Fails with an AssertionError naming the first broken property of an event. */
  static void check(LogRecord r) {
    int length = r.src().length;
    require(0 <= r.srcStart() && r.srcStart() <= r.srcEnd() && r.srcEnd() <= length, "source range");
    if (r.hasMessage() && r.messageText() == null) {
      require(inside(r.messageStart(), r.messageEnd(), length), "message range");
    }
    require(!r.hasTime() || (r.timeNanos() >= 0 && r.timeNanos() < 1_000_000_000), "nanos");
    for (int i = 0; i < r.size(); i++) {
      require(r.name(i) != null, "field name");
      switch (r.kind(i)) {
        case TEXT_RANGE -> require(inside(r.start(i), r.end(i), length), "text range of " + r.name(i));
        case JSON_RANGE -> {
          require(inside(r.start(i), r.end(i), length), "json range of " + r.name(i));
          require(isOneJsonValue(r.src(), r.start(i), r.end(i)), "json value of " + r.name(i));
        }
        case TEXT -> require(r.textValue(i) != null, "text of " + r.name(i));
        case DOUBLE -> require(Double.isFinite(r.doubleValue(i)), "decimal of " + r.name(i));
        default -> { }
      }
    }
  }

  private static boolean inside(int start, int end, int length) {
    return 0 <= start && start <= end && end <= length;
  }

  private static boolean isOneJsonValue(byte[] b, int start, int end) {
    try (JsonParser p = JSON.createParser(b, start, end - start)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("broken " + what);
    }
  }
}
