package dev.podkit.logformat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A parser of Docker's json-file log lines: {@code {"log":"hello\n","stream":"stdout",
 * "time":"2021-02-01T01:40:03.53412Z"}}, with an optional {@code attrs} object. The decoded
 * {@code log} is the message, without its final newline (nor a {@code \r} before it); the stream
 * is the field {@code stream}, {@code attrs} the JSON field {@code attrs}. Other keys are ignored.
 *
 * <p>A {@code log} that does not end in a newline is a chunk of a longer line (Docker splits at 16
 * KiB): it is held and answered {@link Result#PENDING} until a chunk of the same stream ends the
 * line, as in {@link CriParser}, including its bound and {@value CriParser#PARTIAL} flag. Every
 * event points at a buffer of this parser, since the message is decoded from JSON.
 *
 * <p>A line that is not such an object (no string {@code log}) does not match.
 */
public final class DockerJsonParser implements LineParser {
  private final JsonFactory factory = new JsonFactory();
  private final int maxMergedBytes;
  private final PartialBuffer stdout = new PartialBuffer();
  private final PartialBuffer stderr = new PartialBuffer();
  /** The decoded {@code log} of the current line, until its stream is known. */
  private final PartialBuffer chunk = new PartialBuffer();
  private final byte[] timeScratch = new byte[64];

  // What the current line held besides its log.
  private boolean hasLog;
  private boolean isStderr;
  private boolean hasTime;
  private int attrsStart;
  private int attrsEnd;

  /** A parser that bounds merged events at {@code maxMergedBytes}. */
  public DockerJsonParser(int maxMergedBytes) {
    if (maxMergedBytes < 1) {
      throw new IllegalArgumentException("maxMergedBytes < 1: " + maxMergedBytes);
    }
    this.maxMergedBytes = maxMergedBytes;
  }

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    if (s == e || b[s] != '{') {
      return Result.NO_MATCH;
    }
    try (JsonParser jp = factory.createParser(b, s, e - s)) {
      if (!object(r, jp, s) || !hasLog) {
        return noMatch(r);
      }
    } catch (IOException notJson) {
      return noMatch(r);
    }
    PartialBuffer parts = isStderr ? stderr : stdout;
    String stream = isStderr ? ContainerStreams.STDERR : ContainerStreams.STDOUT;
    if (parts.isEmpty() && hasTime) {
      parts.time(r.timeSeconds(), r.timeNanos());
    }
    int n = chunk.length();
    boolean ends = n > 0 && chunk.bytes()[n - 1] == '\n';
    parts.append(chunk.bytes(), 0, ends ? n - 1 : n);
    if (ends && parts.length() > 0 && parts.bytes()[parts.length() - 1] == '\r') {
      parts.truncate(1);
    }
    if (!ends && parts.length() < maxMergedBytes) {
      return Result.PENDING;
    }
    int messageEnd = parts.length();
    parts.append(b, attrsStart, attrsEnd);
    ContainerStreams.emit(r, parts, stream, !ends);
    r.message(0, messageEnd);
    if (attrsEnd > attrsStart) {
      r.json("attrs", messageEnd, messageEnd + attrsEnd - attrsStart);
    }
    return Result.EVENT;
  }

  /** Reads the line's object; false when it is not one object with nothing after it. */
  private boolean object(LogRecord r, JsonParser jp, int base) throws IOException {
    hasLog = false;
    isStderr = false;
    hasTime = false;
    attrsStart = 0;
    attrsEnd = 0;
    chunk.clear();
    if (jp.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    JsonToken t;
    while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
      String name = jp.currentName();
      t = jp.nextToken();
      if (t == JsonToken.VALUE_STRING && name.equals("log") && !hasLog) {
        chunk.appendUtf8(jp.getTextCharacters(), jp.getTextOffset(), jp.getTextOffset() + jp.getTextLength());
        hasLog = true;
      } else if (t == JsonToken.VALUE_STRING && name.equals("stream")) {
        isStderr = isStderr(jp);
      } else if (t == JsonToken.VALUE_STRING && name.equals("time")) {
        hasTime = time(r, jp);
      } else if (t == JsonToken.START_OBJECT && name.equals("attrs")) {
        attrsStart = base + (int) jp.currentTokenLocation().getByteOffset();
        jp.skipChildren();
        attrsEnd = base + (int) jp.currentLocation().getByteOffset();
      } else {
        jp.skipChildren();
      }
    }
    return t == JsonToken.END_OBJECT && jp.nextToken() == null;
  }

  private static boolean isStderr(JsonParser jp) throws IOException {
    char[] c = jp.getTextCharacters();
    int off = jp.getTextOffset();
    return jp.getTextLength() == 6 && c[off] == 's' && c[off + 1] == 't' && c[off + 2] == 'd'
        && c[off + 3] == 'e' && c[off + 4] == 'r' && c[off + 5] == 'r';
  }

  private boolean time(LogRecord r, JsonParser jp) throws IOException {
    int n = jp.getTextLength();
    if (n > timeScratch.length) {
      return false;
    }
    char[] c = jp.getTextCharacters();
    int off = jp.getTextOffset();
    for (int i = 0; i < n; i++) {
      // Only ASCII can be a timestamp; anything else is made a byte that fails the parse.
      timeScratch[i] = c[off + i] < 0x80 ? (byte) c[off + i] : (byte) '?';
    }
    return Times.rfc3339(timeScratch, 0, n, r);
  }

  /** Clears the time a line that does not match may have set. */
  private static Result noMatch(LogRecord r) {
    r.reset(r.src(), r.srcStart(), r.srcEnd());
    return Result.NO_MATCH;
  }

  /** Emits one stream's held chunks, stdout's first; call again until it answers false. */
  @Override
  public boolean holdsParts() {
    return !stdout.isEmpty() || !stderr.isEmpty();
  }

  @Override
  public boolean flush(LogRecord r) {
    return ContainerStreams.flush(r, stdout, stderr);
  }
}
