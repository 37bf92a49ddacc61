package dev.podkit.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File writes that replace a file's content all at once: a reader sees the old content or the
 * new, never a mix, and a crash (kill -9, power loss) leaves one of the two whole. For state a
 * helper must find intact after a restart, such as checkpoints.
 */
public final class AtomicFiles {
  private static final String TEMP_MARK = ".tmp-";

  private AtomicFiles() {}

  /**
   * Replaces the content of {@code target} (created if missing) with {@code content}.
   *
   * <ol>
   *   <li>Writes {@code content} to a new temp file {@code .<name>.tmp-<random>} in the same
   *       folder (same file system, so the rename below is atomic).
   *   <li>Forces it to disk, so the name cannot point at data that is not there yet.
   *   <li>Renames it over {@code target} in one step.
   *   <li>Forces the folder, so the rename itself survives a power loss.
   * </ol>
   *
   * If a step fails the temp file is deleted and the exception thrown; {@code target} then still
   * holds its old content (after a failure in (4), possibly the new content, not yet durable).
   * A symlink at {@code target} is replaced by a regular file, not followed.
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = folder(target);
    Path temp = dir.resolve("." + target.getFileName() + TEMP_MARK + randomSuffix());
    try {
      writeNew(temp, content); // (1) and (2)
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE); // (3) rename(2): replaces target
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    force(dir); // (4)
  }

  /** Writes {@code content} to {@code file}, which must not exist yet, and forces it to disk. */
  public static void writeNew(Path file, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /**
   * Forces {@code path}, a file or a folder, to disk; for a folder that is its entries, so that
   * names made, renamed or removed in it survive a power loss.
   */
  public static void force(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Deletes the temp files that writes of {@code target} interrupted by a crash left behind;
   * returns how many. Call it only while no other process or thread writes {@code target}.
   */
  public static int deleteLeftovers(Path target) throws IOException {
    Path dir = folder(target);
    String prefix = "." + target.getFileName() + TEMP_MARK;
    int deleted = 0;
    // A filter, not a glob: the target's own name may hold glob characters.
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path temp : temps) {
        if (Files.deleteIfExists(temp)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private static Path folder(Path target) {
    Path name = target.getFileName();
    if (name == null) throw new IllegalArgumentException("target has no file name: " + target);
    return target.toAbsolutePath().getParent();
  }

  private static String randomSuffix() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
