package dev.podkit.filetail;

import java.nio.ByteBuffer;

/**
 * The scratch buffer followers read into, one per polling thread. The followers one thread
 * drives share it (nothing stays in it between polls), so thousands of idle followers hold no
 * read buffer each.
 */
public final class ReadBuffer {
  /** The smallest size: it must hold a content window and still leave room for data. */
  public static final int MIN_BYTES = 4096;

  private final byte[] bytes;
  private final ByteBuffer view;

  public ReadBuffer(int size) {
    if (size < MIN_BYTES) throw new IllegalArgumentException("size < " + MIN_BYTES + ": " + size);
    this.bytes = new byte[size];
    this.view = ByteBuffer.wrap(bytes);
  }

  byte[] array() {
    return bytes;
  }

  /** The whole buffer as a ByteBuffer positioned at {@code from} with {@code to} as its limit. */
  ByteBuffer view(int from, int to) {
    return view.clear().limit(to).position(from);
  }
}
