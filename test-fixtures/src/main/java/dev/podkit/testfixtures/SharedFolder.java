package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A host folder that containers of different users share, as a pod's emptyDir: writable by
 * everyone (a writer running as root, a podkit helper as uid 65532), inside a parent that
 * everyone may enter.
 */
public final class SharedFolder {
  private SharedFolder() {}

  /** Creates {@code parent/name}, mode 777, and opens {@code parent} to all. */
  public static Path create(Path parent, String name) {
    try {
      Path folder = Files.createDirectory(parent.resolve(name));
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
