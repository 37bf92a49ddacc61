package dev.podkit.filetail;

import java.util.Arrays;

/**
 * The last bytes of a file before some offset, up to a fixed number: the content a reader
 * re-reads and compares to learn that the bytes it already read are still there. A file
 * truncated and regrown past the offset between two reads has other bytes here, which a size
 * check alone cannot see.
 */
final class ContentWindow {
  /** bytes[0, length) are the window, oldest first; length <= bytes.length. */
  private final byte[] bytes;
  private int length;

  ContentWindow(int capacity) {
    this.bytes = new byte[capacity];
  }

  int length() {
    return length;
  }

  void clear() {
    length = 0;
  }

  void copyFrom(ContentWindow other) {
    System.arraycopy(other.bytes, 0, bytes, 0, other.length);
    length = other.length;
  }

  /** Moves the window forward over {@code b[off, off + len)}, keeping the last capacity bytes. */
  void append(byte[] b, int off, int len) {
    int cap = bytes.length;
    if (len >= cap) {
      System.arraycopy(b, off + len - cap, bytes, 0, cap);
      length = cap;
      return;
    }
    int keep = Math.min(length, cap - len);
    System.arraycopy(bytes, length - keep, bytes, 0, keep);
    System.arraycopy(b, off, bytes, keep, len);
    length = keep + len;
  }

  /** True if {@code b[off, off + length)} holds the window's bytes. */
  boolean matches(byte[] b, int off) {
    return Arrays.equals(bytes, 0, length, b, off, off + length);
  }

  long hash() {
    return Fnv1a.update(Fnv1a.INIT, bytes, 0, length);
  }
}
