package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes events as Elasticsearch {@code _bulk} items: for each, the action line
 * {@code {"create":{"_index":"<index>","_id":"<id>"}}} and an ECS-style document
 * {@code {"@timestamp":..,"message":..,"log.file.path":..,"stream":..,"kubernetes.namespace":..,
 * "kubernetes.pod.name":..,"kubernetes.node.name":..,"kubernetes.container.name":..,
 * "log.flags":["truncated"]}}, each line ending with a newline. {@code create}, not
 * {@code index}: data streams accept only it, and with fixed ids a repeated item is refused (409)
 * rather than stored twice.
 */
final class BulkBody {
  private static final byte[] ID = ascii("\",\"_id\":");
  private static final byte[] TIMESTAMP = JsonOut.key("@timestamp");
  private static final byte[] MESSAGE = JsonOut.key("message");
  private static final byte[] PATH = JsonOut.key("log.file.path");
  private static final byte[] STREAM = JsonOut.key("stream");
  private static final byte[] TRUNCATED = ascii(",\"log.flags\":[\"truncated\"]");

  /** {@code {"create":{"_index":"<index>}: the start of every action line. */
  private final byte[] action;
  /** The metadata fields, the same in every document, encoded once. */
  private final byte[] metadata;
  private final Rfc3339 time = new Rfc3339();

  BulkBody(String index, Metadata m) {
    JsonOut o = new JsonOut();
    o.raw(ascii("{\"create\":{\"_index\":")).string(index);
    action = Arrays.copyOf(o.buffer(), o.length() - 1); // without the closing quote
    o.clear();
    EventJson.field(o, "kubernetes.namespace", m.namespace());
    EventJson.field(o, "kubernetes.pod.name", m.pod());
    EventJson.field(o, "kubernetes.node.name", m.node());
    EventJson.field(o, "kubernetes.container.name", m.container());
    metadata = o.toBytes();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes each event's two lines into {@code out}; {@code ends[i]} becomes the end of item {@code i}. */
  void write(List<Event> events, String[] ids, JsonOut out, int[] ends) {
    for (int i = 0; i < ids.length; i++) {
      Event e = events.get(i);
      out.raw(action).raw(ID).string(ids[i]).raw('}').raw('}').raw('\n');
      out.raw('{').raw(TIMESTAMP);
      EventJson.time(time, e.epochNanos(), out);
      out.raw(',').raw(MESSAGE).string(e.message(), 0, e.message().length);
      if (e.path() != null) {
        out.raw(',').raw(PATH).string(e.path());
      }
      if (e.stream() != null) {
        out.raw(',').raw(STREAM).string(e.stream());
      }
      out.raw(metadata);
      if (e.truncated()) {
        out.raw(TRUNCATED);
      }
      out.raw('}').raw('\n');
      ends[i] = out.length();
    }
  }
}
