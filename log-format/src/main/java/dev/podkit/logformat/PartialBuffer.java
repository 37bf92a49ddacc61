package dev.podkit.logformat;

import java.util.Arrays;

/**
 * The bytes of one stream's event that is still arriving in parts (CRI {@code P} lines, Docker
 * chunks without a newline), with the time of its first part. The array is reused: an event
 * emitted from it stays valid until the next append. Not thread-safe.
 */
final class PartialBuffer {
  private byte[] bytes = new byte[1024];
  private int length;
  private boolean hasTime;
  private long seconds;
  private int nanos;

  /** Whether no part is held. */
  boolean isEmpty() {
    return length == 0;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  boolean hasTime() {
    return hasTime;
  }

  long seconds() {
    return seconds;
  }

  int nanos() {
    return nanos;
  }

  /** Remembers the event's time; called for its first part. */
  void time(long seconds, int nanos) {
    this.hasTime = true;
    this.seconds = seconds;
    this.nanos = nanos;
  }

  /** Appends {@code b[start, end)}. */
  void append(byte[] b, int start, int end) {
    int n = end - start;
    ensure(n);
    System.arraycopy(b, start, bytes, length, n);
    length += n;
  }

  /** Appends UTF-16 text as UTF-8; a lone surrogate becomes U+FFFD. */
  void appendUtf8(char[] c, int start, int end) {
    ensure((end - start) * 3);
    byte[] out = bytes;
    int n = length;
    for (int i = start; i < end; i++) {
      char ch = c[i];
      if (ch < 0x80) {
        out[n++] = (byte) ch;
      } else if (ch < 0x800) {
        out[n++] = (byte) (0xC0 | ch >> 6);
        out[n++] = (byte) (0x80 | ch & 0x3F);
      } else if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
        int cp = Character.toCodePoint(ch, c[++i]);
        out[n++] = (byte) (0xF0 | cp >> 18);
        out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
        out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[n++] = (byte) (0x80 | cp & 0x3F);
      } else {
        int cp = Character.isSurrogate(ch) ? 0xFFFD : ch;
        out[n++] = (byte) (0xE0 | cp >> 12);
        out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[n++] = (byte) (0x80 | cp & 0x3F);
      }
    }
    length = n;
  }

  /** Drops the last {@code n} bytes. */
  void truncate(int n) {
    length -= Math.min(n, length);
  }

  /** Forgets the parts and time; the array stays for the next event. */
  void clear() {
    length = 0;
    hasTime = false;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
