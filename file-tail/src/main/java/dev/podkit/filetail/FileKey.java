package dev.podkit.filetail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file's identity on this machine: device and inode, which stay with the file across renames.
 * An inode can be reused once its file is gone, so a saved key alone does not prove a file is
 * the same one; {@link Position} adds content fingerprints for that.
 */
public record FileKey(long dev, long ino) {
  /** The key of the file {@code path} names, symlinks followed; null if it names no file. */
  public static FileKey at(Path path) throws IOException {
    try {
      Map<String, Object> attrs = Files.readAttributes(path, "unix:dev,ino");
      return new FileKey((Long) attrs.get("dev"), (Long) attrs.get("ino"));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  // equals and hashCode written out: a record's own are bound at their first call by a bootstrap
  // that spins method handles at run time, which the AOT cache cannot hold (tens of ms of a start).
  @Override
  public boolean equals(Object o) {
    return o instanceof FileKey k && k.dev == dev && k.ino == ino;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(dev) * 31 + Long.hashCode(ino);
  }

  @Override
  public String toString() {
    return dev + ":" + ino;
  }
}
