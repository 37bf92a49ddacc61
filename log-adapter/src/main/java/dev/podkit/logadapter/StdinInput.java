package dev.podkit.logadapter;

import dev.podkit.filetail.LineFlags;
import dev.podkit.filetail.LineFramer;
import dev.podkit.filetail.LongLines;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * Reads lines from stdin (the `tail | adapter` shape) in large blocks, framed by the shared
 * {@link LineFramer}. A short read means the writer paused: the adapter then flushes its output,
 * so lines go on promptly. A partial last line is written at the end of the input.
 */
final class StdinInput implements Input {
  private static final int BLOCK = 1 << 20;
  private final InputStream in;
  private final int maxLineBytes;

  StdinInput(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  static StdinInput stdin(int maxLineBytes) {
    return new StdinInput(new FileInputStream(FileDescriptor.in), maxLineBytes);
  }

  @Override
  public void run(Adapter adapter, BooleanSupplier stop) throws IOException {
    LineFramer framer = new LineFramer(maxLineBytes, LongLines.TRUNCATE, true, (buf, start, end, flags) -> {
      try {
        adapter.line(buf, start, end, (flags & (LineFlags.TRUNCATED | LineFlags.CUT)) != 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    byte[] block = new byte[BLOCK];
    try {
      boolean wrap = adapter.wrapsLines();
      for (int n; !stop.getAsBoolean() && (n = in.read(block)) >= 0; ) {
        if (wrap) {
          // Whole lines the fast way; the framer gets the rest: the end of a line begun in the
          // last block, an over-long line, the unterminated tail.
          int at = framer.atLineStart() ? 0 : framer.feedLine(block, 0, n);
          while (at < n) {
            at = adapter.wrapLines(block, at, n, maxLineBytes);
            if (at < n) {
              at = framer.feedLine(block, at, n);
            }
          }
        } else {
          framer.feed(block, 0, n);
        }
        if (n < block.length) {
          adapter.idle();
        }
      }
      framer.finish();
      adapter.end();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
