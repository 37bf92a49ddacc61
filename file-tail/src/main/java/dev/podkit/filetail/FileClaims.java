package dev.podkit.filetail;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The files (by device and inode, whatever their names) that the followers one thread drives hold
 * open, and where those that let a file go left it. Shared by those followers, so a file renamed
 * to a name another follower watches (logrotate's access.log to access.log.1, with a glob that
 * matches both) is read once: the second follower does not open it while the first holds it, and
 * once the first lets it go, goes on from where it was left. Like Fluent Bit's and Filebeat's
 * registries, keyed by inode. Not thread-safe: the followers' thread owns it.
 */
public final class FileClaims {
  private static final FileClaims NONE = new FileClaims(false, null);

  /** False for {@link #none()}: then nothing is kept and every claim is granted. */
  private final boolean shared;
  /** Called with a follower's path when it goes on from where another one left its file; null for none. */
  private final Consumer<Path> handedOver;
  /** Files a follower has open. */
  private final Set<FileKey> held = new HashSet<>();
  /** Files let go, not held now: where their delivered lines end. Bounded by {@link #retain}. */
  private final Map<FileKey, Position> left = new HashMap<>();

  /** Claims shared by followers; {@code handedOver} hears of each hand-over (a no-op is fine). */
  public FileClaims(Consumer<Path> handedOver) {
    this(true, handedOver);
  }

  private FileClaims(boolean shared, Consumer<Path> handedOver) {
    this.shared = shared;
    this.handedOver = handedOver == null ? path -> {} : handedOver;
  }

  /** Claims that share nothing: each follower reads what its path names, as it would alone. */
  public static FileClaims none() {
    return NONE;
  }

  /**
   * Where a follower of {@code path} opening {@code file} starts: null if another follower holds
   * it (it is not opened now); where it was left, if it was; {@code wanted} otherwise. Not null,
   * the file is held from now until {@link #release}.
   */
  Start claim(Path path, FileKey file, Start wanted) {
    if (!shared) {
      return wanted;
    }
    if (held.contains(file)) {
      return null;
    }
    held.add(file);
    Position at = left.remove(file);
    if (at == null) {
      return wanted;
    }
    handedOver.accept(path);
    // The resume checks the content too: a new file that reuses the inode is read from its start.
    return Start.at(at);
  }

  /** {@code file} is closed; {@code at} is where its delivered lines end (null: not known). */
  void release(FileKey file, Position at) {
    if (!shared) {
      return;
    }
    held.remove(file);
    if (at != null) {
      left.put(file, at);
    }
  }

  /**
   * Remembers where lines of a file were delivered up to before (a checkpoint, under whatever
   * name): a follower that opens it goes on from there. The furthest of several is kept.
   */
  public void remember(Position at) {
    if (!shared) {
      return;
    }
    left.merge(at.file(), at, (a, b) -> a.offset() >= b.offset() ? a : b);
  }

  /**
   * Forgets where files were left unless they are in {@code present} (the files the watched
   * names point to now): a file deleted or renamed out of sight is not followed again.
   */
  public void retain(Set<FileKey> present) {
    left.keySet().retainAll(present);
  }

  /** How many files' left positions are kept. */
  public int leftCount() {
    return left.size();
  }
}
