package dev.podkit.logadapter;

import dev.podkit.runtime.JsonOut;
import java.util.HashMap;
import java.util.Map;

/**
 * Field names encoded once as {@code ,"name":} bytes. Names come from a small set in practice
 * (the formats' fields, a JSON log's keys); past {@link #MAX} distinct names new ones are encoded
 * on every use rather than remembered, so a source with unbounded keys cannot grow memory.
 */
final class FieldNames {
  static final int MAX = 4096;
  private final Map<String, byte[]> encoded = new HashMap<>();

  /** Appends {@code ,"name":} to {@code out}. */
  void writeKey(String name, JsonOut out) {
    byte[] b = encoded.get(name);
    if (b == null) {
      JsonOut o = new JsonOut();
      o.raw(',').string(name).raw(':');
      b = java.util.Arrays.copyOf(o.buffer(), o.length());
      if (encoded.size() < MAX) {
        encoded.put(name, b);
      }
    }
    out.raw(b);
  }
}
