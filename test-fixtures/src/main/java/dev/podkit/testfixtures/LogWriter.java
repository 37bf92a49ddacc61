package dev.podkit.testfixtures;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An application writing a log file, for tests of log followers: it appends through one open
 * handle in append mode, as a logger does, and rotates the file the ways real setups do (rename
 * and reopen, copytruncate, delete). Writes go straight to the file (no buffering), so a follower
 * sees each one as soon as it returns. I/O failures are thrown unchecked.
 */
public final class LogWriter implements Closeable {
  private final Path path;
  private FileChannel out;

  /** Opens {@code path} for appending, creating it if needed. */
  public LogWriter(Path path) {
    this.path = path;
    this.out = openAppend(path);
  }

  /** Appends each line and a newline, one write per line. */
  public LogWriter lines(String... lines) {
    for (String line : lines) {
      text(line + "\n");
    }
    return this;
  }

  /** Appends {@code text} as it is, in one write. */
  public LogWriter text(String text) {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    try {
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Renames the file to {@code target}; this writer keeps writing to it until {@link #reopen()}. */
  public LogWriter renameTo(Path target) {
    try {
      Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Closes the handle and opens the path again, creating a new file if it was renamed or deleted. */
  public LogWriter reopen() {
    close();
    out = openAppend(path);
    return this;
  }

  /** logrotate's copytruncate: copies the file to {@code copy}, then truncates it in place. */
  public LogWriter copyTruncate(Path copy) {
    try {
      Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
      truncate();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Truncates the file to zero; appends go on from its new end. */
  public LogWriter truncate() {
    try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE)) {
      c.truncate(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Deletes the file; this writer keeps writing to the deleted file until {@link #reopen()}. */
  public LogWriter delete() {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileChannel openAppend(Path path) {
    try {
      return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
