package dev.podkit.logadapter;

import java.io.IOException;

/**
 * Where JSON lines go: stdout, a file or an HTTP endpoint. {@link #write} may block (that is the
 * backpressure: the input is not read while the output cannot take more) and retries on its
 * own; it throws only when the output is gone for good.
 */
interface Output extends AutoCloseable {
  /** Takes whole lines, {@code b[off, off + len)}. */
  void write(byte[] b, int off, int len) throws IOException;

  /** Sends anything held back (a partial HTTP batch...). */
  void flush() throws IOException;

  @Override
  void close() throws IOException;
}
