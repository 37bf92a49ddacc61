package dev.podkit.filetail;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
  private final Listener listener;
  /** Files a follower has open. */
  private final Set<FileKey> held = new HashSet<>();
  /** Files let go, not held now: where their delivered lines end. Bounded by {@link #retain}. */
  private final Map<FileKey, Position> left = new HashMap<>();

  /** Told when a file is let go and when a follower goes on where another left one. */
  public interface Listener {
    /** A follower of {@code path} reads its file on from where it was left (by another name, or before). */
    default void handedOver(Path path) {}

    /** The follower of {@code path} let its file go, its delivered lines ending {@code at}. */
    default void letGo(Path path, Position at) {}
  }

  /** Claims shared by followers, reported to {@code listener}. */
  public FileClaims(Listener listener) {
    this(true, listener);
  }

  private FileClaims(boolean shared, Listener listener) {
    this.shared = shared;
    this.listener = listener == null ? new Listener() {} : listener;
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
    listener.handedOver(path);
    // The resume checks the content too: a new file that reuses the inode is read from its start.
    return Start.at(at);
  }

  /** {@code path}'s follower closed {@code file}; {@code at} is where its delivered lines end (null: not known). */
  void release(Path path, FileKey file, Position at) {
    if (!shared) {
      return;
    }
    held.remove(file);
    if (at != null) {
      left.put(file, at);
      listener.letGo(path, at);
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
