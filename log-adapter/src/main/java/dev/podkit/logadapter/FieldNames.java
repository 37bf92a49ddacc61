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
  /** Fields come in the same order line after line: the name last seen at each place, by identity. */
  private static final int PLACES = 32;
  private final Map<String, byte[]> encoded = new HashMap<>();
  private final String[] lastName = new String[PLACES];
  private final byte[][] lastEncoded = new byte[PLACES][];

  /**
   * Appends {@code ,"name":} for the field at place {@code i} of its record: the same as {@link
   * #writeKey(String, JsonOut)}, without the map look-up when the same name was there last time.
   */
  void writeKey(int i, String name, JsonOut out) {
    if (i < PLACES) {
      if (lastName[i] != name) {
        lastEncoded[i] = encoded(name);
        lastName[i] = name;
      }
      out.raw(lastEncoded[i]);
    } else {
      writeKey(name, out);
    }
  }

  /** Appends {@code ,"name":} to {@code out}. */
  void writeKey(String name, JsonOut out) {
    out.raw(encoded(name));
  }

  private byte[] encoded(String name) {
    byte[] b = encoded.get(name);
    if (b == null) {
      JsonOut o = new JsonOut();
      o.raw(',').string(name).raw(':');
      b = o.toBytes();
      if (encoded.size() < MAX) {
        encoded.put(name, b);
      }
    }
    return b;
  }
}
