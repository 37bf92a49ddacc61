package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Rfc3339;

/**
 * Writes an event as the JSON object that stdout's JSON mode and the NDJSON HTTP sink send:
 * {@code {"message":..,"time":..,"path":..,"stream":..,"pod":..,"namespace":..,"node":..,
 * "container":..,"truncated":true}}, leaving out what is null (and {@code truncated} when false).
 * Not thread-safe (it caches the current second's text).
 */
final class EventJson {
  private static final byte[] MESSAGE = JsonOut.key("message");
  /** What every object starts with, up to its message's opening quote: {@code {"message":}. */
  static final byte[] OPEN = ("{" + new String(MESSAGE, java.nio.charset.StandardCharsets.US_ASCII))
      .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TIME = JsonOut.key("time");
  private static final byte[] PATH = JsonOut.key("path");
  private static final byte[] STREAM = JsonOut.key("stream");
  private static final byte[] TRUNCATED = ",\"truncated\":true".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The metadata fields, {@code ,"pod":"..",...}: the same on every line, so encoded once. */
  private final byte[] metadata;
  private final Rfc3339 time = new Rfc3339();
  private String lastPath;
  private byte[] lastPathField;

  EventJson(Metadata m) {
    JsonOut o = new JsonOut();
    field(o, "pod", m.pod());
    field(o, "namespace", m.namespace());
    field(o, "node", m.node());
    field(o, "container", m.container());
    metadata = o.toBytes();
  }

  /** Appends {@code name} and {@code value} after a comma, when the value is not null. */
  static void field(JsonOut o, String name, String value) {
    if (value != null) {
      o.raw(',').raw(JsonOut.key(name)).string(value);
    }
  }

  /** Appends {@code e} as one JSON object (no newline). */
  void write(Event e, JsonOut out) {
    write(e.message(), 0, e.message().length, e.epochNanos(), e.path(), e.stream(), e.truncated(), out);
  }

  /** Appends the object of an event of message {@code src[start, end)} and the other fields given. */
  void write(byte[] src, int start, int end, long epochNanos, String path, String stream, boolean truncated,
      JsonOut out) {
    out.raw(OPEN).string(src, start, end);
    afterMessage(epochNanos, path, stream, truncated, out);
  }

  /** Appends what follows the message: the other fields and the closing brace. */
  void afterMessage(long epochNanos, String path, String stream, boolean truncated, JsonOut out) {
    out.raw(',').raw(TIME);
    time(time, epochNanos, out);
    if (path != null) {
      out.raw(pathField(path));
    }
    if (stream != null) {
      out.raw(',').raw(STREAM).string(stream);
    }
    out.raw(metadata);
    if (truncated) {
      out.raw(TRUNCATED);
    }
    out.raw('}');
  }

  /**
   * {@code ,"path":"..."} for {@code path}, encoded once per file: the events of a batch share
   * their file's path string, so the last one is kept (by identity, then by value).
   */
  private byte[] pathField(String path) {
    if (path != lastPath && !path.equals(lastPath)) {
      JsonOut o = new JsonOut();
      o.raw(',').raw(PATH).string(path);
      lastPathField = o.toBytes();
      lastPath = path;
    }
    return lastPathField;
  }

  /** Appends the quoted RFC 3339 text of {@code epochNanos}, with {@code time}'s cache. */
  static void time(Rfc3339 time, long epochNanos, JsonOut out) {
    time.write(Math.floorDiv(epochNanos, 1_000_000_000L), (int) Math.floorMod(epochNanos, 1_000_000_000L), out);
  }
}
