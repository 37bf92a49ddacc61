package dev.podkit.configsyncer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file-system steps a {@link Publisher} builds on: writing a file and forcing it to disk,
 * forcing folders so that their entries survive a power loss, and deleting a folder tree without
 * following links.
 */
final class FileTrees {
  private FileTrees() {}

  /** Writes {@code content} to the new file {@code file} and forces it to disk. */
  static void write(Path file, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Forces every folder under {@code root}, deepest first, so the entries of each survive a power loss. */
  static void forceFolders(Path root) throws IOException {
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(root)) {
      folders = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path folder : folders.reversed()) {
      force(folder);
    }
  }

  /** Forces {@code path}, a folder or a file, to disk. */
  static void force(Path path) throws IOException {
    try (FileChannel d = FileChannel.open(path, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Deletes {@code root} and all under it, without following links. */
  static void deleteTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.toList();
    }
    for (Path p : paths.reversed()) {
      Files.deleteIfExists(p);
    }
  }

  /** Deletes {@code root} as {@link #deleteTree(Path)} does; a failure is added to {@code cause} as suppressed. */
  static void deleteTree(Path root, Throwable cause) {
    try {
      deleteTree(root);
    } catch (IOException | UncheckedIOException cleanup) {
      cause.addSuppressed(cleanup);
    }
  }
}
