package dev.podkit.filetail;

/**
 * Where framed lines go: one call per line (or per piece of an over-long line), newline excluded.
 * The bytes are lent, not given: {@code buf} is valid only during the call and is often the
 * reader's own buffer, so a sink that keeps a line copies it. A sink must not throw.
 */
@FunctionalInterface
public interface LineSink {
  /** One line in {@code buf[start, end)}; {@code flags} holds {@link LineFlags} bits. */
  void line(byte[] buf, int start, int end, int flags);

  /** {@code bytes} of an over-long line were skipped after its {@link LineFlags#TRUNCATED} piece. */
  default void skipped(long bytes) {}
}
