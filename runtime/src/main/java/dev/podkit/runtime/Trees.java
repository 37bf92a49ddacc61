package dev.podkit.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Folder trees deleted whole. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes {@code root} and everything under it, deepest first; a link is deleted, never
   * followed. Nothing happens when {@code root} does not exist.
   */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.toList();
    }
    for (Path p : paths.reversed()) {
      Files.deleteIfExists(p);
    }
  }
}
