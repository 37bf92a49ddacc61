package dev.podkit.logadapter;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes lines to stdout or appends them to a file, in the large chunks the adapter hands it. */
final class StreamOutput implements Output {
  private final OutputStream out;
  private final boolean closeIt;

  private StreamOutput(OutputStream out, boolean closeIt) {
    this.out = out;
    this.closeIt = closeIt;
  }

  /** The process's stdout, unbuffered (the adapter buffers). */
  static StreamOutput stdout() {
    return new StreamOutput(new FileOutputStream(FileDescriptor.out), false);
  }

  /** Writes to {@code out}, which the caller closes. */
  static StreamOutput of(OutputStream out) {
    return new StreamOutput(out, false);
  }

  /** Appends to {@code file}, creating it. */
  static StreamOutput file(Path file) throws IOException {
    return new StreamOutput(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE), true);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.flush();
    if (closeIt) {
      out.close();
    }
  }
}
