package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.LineEncoder;

/** What every {@link LineEncoder} keeps: the lines it wrote and their bytes (messages, no newline). */
abstract class CountingEncoder implements LineEncoder {
  /** Lines written and their message bytes: kept by {@link #counted}, or by a subclass's hot loop. */
  long lines;
  long bytes;

  /** Counts one line written whose message had {@code messageBytes} bytes. */
  final void counted(int messageBytes) {
    lines++;
    bytes += messageBytes;
  }

  @Override
  public final long linesWritten() {
    return lines;
  }

  @Override
  public final long bytesWritten() {
    return bytes;
  }
}
