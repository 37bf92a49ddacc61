package dev.podkit.runtime;

/**
 * The bytes {@link JsonOut#lines} writes after a line's message: the rest of its object and the
 * newline. Held zero-padded to a multiple of eight bytes, so that they are copied eight at a time.
 */
public final class LineTail {
  final byte[] padded;
  private final int length;

  public LineTail(byte[] bytes) {
    this.padded = JsonOut.padded(bytes);
    this.length = bytes.length;
  }

  /** How many bytes are written: the length of the bytes given. */
  public int length() {
    return length;
  }
}
