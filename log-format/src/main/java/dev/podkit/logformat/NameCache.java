package dev.podkit.logformat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Field names read from a line's bytes, as Strings made once: lines of one program repeat the
 * same keys, so a small direct-mapped table saves a String per key per line. Not thread-safe.
 */
final class NameCache {
  private static final int SIZE = 256; // a power of two
  private static final int MAX_LENGTH = 64;

  private final byte[][] keys = new byte[SIZE][];
  private final String[] names = new String[SIZE];

  /** The name spelled by {@code b[start, end)}. */
  String name(byte[] b, int start, int end) {
    int n = end - start;
    if (n > MAX_LENGTH) {
      return new String(b, start, n, StandardCharsets.UTF_8);
    }
    int h = n;
    for (int i = start; i < end; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 16)) & (SIZE - 1);
    byte[] key = keys[slot];
    if (key != null && key.length == n && Arrays.equals(key, 0, n, b, start, end)) {
      return names[slot];
    }
    String name = new String(b, start, n, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(b, start, end);
    names[slot] = name;
    return name;
  }
}
