package dev.podkit.configsyncer;

import dev.podkit.runtime.AtomicFiles;
import dev.podkit.runtime.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Folder trees as a {@link Publisher} handles them: every folder of one forced to disk, deepest
 * first (each file and folder by {@link AtomicFiles#force}), and a whole tree deleted in a
 * failure's clean-up.
 */
final class FileTrees {
  private FileTrees() {}

  /** Forces every folder under {@code root}, deepest first, so the entries of each survive a power loss. */
  static void forceFolders(Path root) throws IOException {
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(root)) {
      folders = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    forceWalked(folders);
  }

  /**
   * Forces {@code folders}, listed in the order {@link Files#walk} met them (each after its
   * parent), deepest first: for a caller that walked the tree already.
   */
  static void forceWalked(List<Path> folders) throws IOException {
    for (Path folder : folders.reversed()) {
      AtomicFiles.force(folder);
    }
  }

  /** Deletes {@code root} as {@link Trees#delete} does; a failure is added to {@code cause} as suppressed. */
  static void deleteTree(Path root, Throwable cause) {
    try {
      Trees.delete(root);
    } catch (IOException | UncheckedIOException cleanup) {
      cause.addSuppressed(cleanup);
    }
  }
}
