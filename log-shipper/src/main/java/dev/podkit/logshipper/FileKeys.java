package dev.podkit.logshipper;

import dev.podkit.filetail.FileKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Files by identity (device and inode) on the file system, for rotations by rename. */
final class FileKeys {
  private FileKeys() {}

  /** The file {@code p} names now, or null if none (or it cannot be looked at). */
  static FileKey of(Path p) {
    try {
      return FileKey.at(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** The files {@code paths} name now. */
  static Set<FileKey> named(Set<String> paths) {
    Set<FileKey> files = new HashSet<>();
    for (String path : paths) {
      FileKey key = of(Path.of(path));
      if (key != null) {
        files.add(key);
      }
    }
    return files;
  }

  /** The regular file in {@code dir} that is {@code key}, or null if there is none. */
  static Path find(Path dir, FileKey key) {
    if (dir == null) {
      return null;
    }
    try (var entries = Files.newDirectoryStream(dir)) {
      for (Path candidate : entries) {
        if (Files.isRegularFile(candidate) && key.equals(of(candidate))) {
          return candidate;
        }
      }
    } catch (IOException e) {
      // The folder cannot be listed: the rotated file cannot be found; the path starts afresh.
    }
    return null;
  }
}
