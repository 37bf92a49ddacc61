package dev.podkit.filetail;

import java.nio.charset.StandardCharsets;

/**
 * A byte range seen as characters, one per byte (ISO-8859-1), so a regular expression can run on
 * a line without decoding or copying it. ASCII patterns match UTF-8 text as expected; a
 * non-ASCII character in a pattern does not match its UTF-8 bytes. Reset per line, reused.
 */
final class Latin1Chars implements CharSequence {
  private byte[] buf = {};
  private int start;
  private int length;

  Latin1Chars reset(byte[] buf, int start, int end) {
    this.buf = buf;
    this.start = start;
    this.length = end - start;
    return this;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (index < 0 || index >= length) throw new IndexOutOfBoundsException("index " + index + " of " + length);
    return (char) (buf[start + index] & 0xff);
  }

  @Override
  public CharSequence subSequence(int from, int to) {
    return new String(buf, start + from, to - from, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return new String(buf, start, length, StandardCharsets.ISO_8859_1);
  }
}
