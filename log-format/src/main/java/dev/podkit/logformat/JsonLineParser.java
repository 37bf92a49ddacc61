package dev.podkit.logformat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A parser of JSON lines whose each line is one object, passed through with its top-level
 * fields in order and their types: strings stay text (a byte range of the line unless they hold
 * escapes), whole numbers that fit a long are numbers, other numbers decimals, booleans booleans,
 * and objects, arrays, {@code null} and numbers that a long or a finite double cannot hold are
 * kept as the JSON of the line ({@link LogRecord.Kind#JSON_RANGE}).
 *
 * <p>The first of the well-known keys that holds a usable value sets the record's part and is
 * not repeated as a field (the output schemas write those parts under their own names): message
 * from {@code message}, {@code msg} or {@code log} (a string); severity from {@code level}, {@code
 * severity}, {@code lvl} or {@code log.level} (a string, or a number: pino's and bunyan's 10 to 60
 * or syslog's 0 to 7); time from {@code time}, {@code timestamp}, {@code ts} or {@code @timestamp}
 * (an RFC 3339 string, or an epoch number in seconds, milliseconds, microseconds or nanoseconds by
 * its magnitude). A later or unusable one stays a plain field.
 *
 * <p>A line that is not one JSON object, with nothing but blanks after it, does not match.
 */
public final class JsonLineParser implements LineParser {
  private final JsonFactory factory = new JsonFactory();
  private final JsonValues values = new JsonValues();

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    int p = s;
    while (p < e && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    if (p == e || b[p] != '{') {
      return Result.NO_MATCH; // Not JSON: answered without starting a parser.
    }
    try (JsonParser jp = factory.createParser(b, s, e - s)) {
      if (jp.nextToken() != JsonToken.START_OBJECT || !fields(r, jp, s) || jp.nextToken() != null) {
        return noMatch(r);
      }
      return Result.EVENT;
    } catch (IOException notJson) {
      return noMatch(r);
    }
  }

  /** Reads the object's fields into the record; false when the object does not end well. */
  private boolean fields(LogRecord r, JsonParser jp, int base) throws IOException {
    values.start();
    JsonToken t;
    while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
      String name = jp.currentName();
      t = jp.nextToken();
      if (t == null) {
        return false;
      }
      values.field(r, jp, name, t, base);
    }
    return t == JsonToken.END_OBJECT;
  }

  private static Result noMatch(LogRecord r) {
    r.reset(r.src(), r.srcStart(), r.srcEnd());
    return Result.NO_MATCH;
  }
}
