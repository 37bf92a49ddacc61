package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.JsonOut;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a batch as a Loki push body, {@code {"streams":[{"stream":{labels},"values":[["<ns>",
 * "<line>"],...]},...]}}: one stream per distinct label set, entries in the order they were
 * read. The labels are the configured ones, then namespace, pod, container and node from the
 * metadata, {@code filename} (the path) and {@code stream} (stdout or stderr, when known); a
 * configured label wins over a derived one of the same name.
 */
final class LokiPush {
  /** Loki's label names. Names starting with two underscores are Loki's own. */
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private static final byte[] OPEN = ascii("{\"streams\":[");
  private static final byte[] STREAM = ascii("{\"stream\":");
  private static final byte[] VALUES = ascii(",\"values\":[");

  /** The labels every stream has, sorted by name. */
  private final Map<String, String> fixed;

  LokiPush(Map<String, String> labels, Metadata m) {
    Map<String, String> all = new TreeMap<>();
    put(all, "namespace", m.namespace());
    put(all, "pod", m.pod());
    put(all, "container", m.container());
    put(all, "node", m.node());
    for (Map.Entry<String, String> l : labels.entrySet()) {
      if (!LABEL_NAME.matcher(l.getKey()).matches() || l.getKey().startsWith("__")) {
        throw new IllegalArgumentException("bad Loki label name: '" + l.getKey() + "'");
      }
      if (l.getValue().isEmpty()) {
        throw new IllegalArgumentException("empty Loki label value: " + l.getKey());
      }
      all.put(l.getKey(), l.getValue());
    }
    fixed = all;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static void put(Map<String, String> labels, String name, String value) {
    if (value != null && !value.isEmpty()) { // Loki reads an empty label as no label
      labels.put(name, value);
    }
  }

  /** Writes the push body for {@code batch} into {@code out}. */
  void write(Batch batch, JsonOut out) {
    // Metadata is the same for every event, so streams differ only by path and stream.
    Map<List<String>, List<Event>> groups = new LinkedHashMap<>();
    for (Event e : batch.events()) {
      groups.computeIfAbsent(Arrays.asList(e.path(), e.stream()), k -> new ArrayList<>()).add(e);
    }
    out.raw(OPEN);
    boolean firstStream = true;
    for (Map.Entry<List<String>, List<Event>> g : groups.entrySet()) {
      if (!firstStream) out.raw(',');
      firstStream = false;
      out.raw(STREAM);
      labels(g.getKey().get(0), g.getKey().get(1), out);
      out.raw(VALUES);
      boolean firstValue = true;
      for (Event e : g.getValue()) {
        if (!firstValue) out.raw(',');
        firstValue = false;
        // The timestamp is a string of nanoseconds: Loki answers 400 to a JSON number.
        out.raw('[').raw('"').number(Math.max(0, e.epochNanos())).raw('"').raw(',');
        out.string(e.message(), 0, e.message().length).raw(']');
      }
      out.raw(']').raw('}');
    }
    out.raw(']').raw('}');
  }

  private void labels(String path, String stream, JsonOut out) {
    Map<String, String> labels = new TreeMap<>(fixed);
    if (path != null && !path.isEmpty()) labels.putIfAbsent("filename", path);
    if (stream != null && !stream.isEmpty()) labels.putIfAbsent("stream", stream);
    if (labels.isEmpty()) labels.put("job", "log-shipper"); // Loki refuses a stream without labels
    out.raw('{');
    boolean first = true;
    for (Map.Entry<String, String> l : labels.entrySet()) {
      if (!first) out.raw(',');
      first = false;
      out.string(l.getKey()).raw(':').string(l.getValue());
    }
    out.raw('}');
  }
}
