package dev.podkit.configsyncer;

import dev.podkit.runtime.AtomicFiles;
import dev.podkit.runtime.Trees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A publisher of complete file sets into a target folder, in the kubelet ConfigMap volume layout:
 * each version lives in a hidden folder {@code ..<yyyy_MM_dd_HH_mm_ss.nnnnnnnnn>}, the symlink
 * {@code ..data} points at the current one, and every user-visible top-level name is a relative
 * symlink {@code name -> ..data/name}. An app that reads through {@code ..data} (or through the
 * user-visible names) sees one whole version, never a half-written one; apps and reloaders that
 * already watch ConfigMap volumes work unchanged.
 *
 * <p>A publish runs these steps:
 *
 * <ol>
 *   <li>Write every file of the new version into a new version folder, force each file and each
 *       folder to disk.
 *   <li>Point a relative symlink {@code ..data_tmp} at the version folder and rename it over
 *       {@code ..data} (one rename(2): readers see the old target or the new), then force the
 *       target folder.
 *   <li>Create the missing user-visible links, remove those the new version no longer has.
 *   <li>Remove the older version folders.
 * </ol>
 *
 * A crash before (2) leaves the previous version published and an unreferenced folder, a staging
 * folder or a {@code ..data_tmp} link, which the constructor removes. A crash in (3) or (4) is completed by the
 * constructor too. One instance owns a target folder; its methods may be called from any thread
 * and run one at a time.
 */
public final class Publisher {
  static final String DATA = "..data";
  static final String DATA_TMP = "..data_tmp";
  /** Prefix of the staging folders {@link #newStaging()} makes; what a crash leaves of them is removed at start. */
  static final String STAGING_PREFIX = "..staging.";

  private final Path target;
  private final PublishEvents events;
  /** Used only under this object's lock, as {@link #links} is. */
  private final VersionFolders versions;
  private final VisibleLinks links;

  /**
   * A publisher for {@code target} (created if missing) that names versions after {@code clock}
   * (wall time, not a {@link dev.podkit.runtime.Ticker}: the names are timestamps). Removes what a
   * crashed publish left behind, keeping the published version.
   */
  public Publisher(Path target, InstantSource clock, PublishEvents events) throws IOException {
    this.target = target.toAbsolutePath();
    this.events = events;
    this.versions = new VersionFolders(this.target, clock);
    this.links = new VisibleLinks(this.target, events);
    Files.createDirectories(this.target);
    recover();
  }

  /** A publisher on the system clock that reports nothing. */
  public Publisher(Path target) throws IOException {
    this(target, InstantSource.system(), new PublishEvents() {});
  }

  /** The published version folder's name, such as {@code ..2025_01_31_12_00_00.123456789}; empty before the first publish. */
  public synchronized Optional<String> current() throws IOException {
    try {
      return Optional.of(Files.readSymbolicLink(target.resolve(DATA)).toString());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Publishes {@code files} (relative name to content; names may hold subfolders such as
   * {@code conf.d/a.conf}) as the new version; returns its folder name. Throws
   * IllegalArgumentException for an absolute name, a {@code .} or {@code ..} segment, an empty
   * name or segment, or a name that starts with {@code ..}; nothing is written then.
   */
  public synchronized String publish(Map<String, byte[]> files) throws IOException {
    files.keySet().forEach(RelativePaths::check);
    Set<String> topNames = VisibleLinks.topNames(files.keySet().stream());
    links.checkNoConflicts(topNames);
    Path version = target.resolve(versions.nextName());
    Files.createDirectory(version);
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) { // (1)
        Path file = RelativePaths.resolve(version, f.getKey());
        Files.createDirectories(file.getParent());
        AtomicFiles.writeNew(file, f.getValue());
      }
      FileTrees.forceFolders(version);
    } catch (IOException | RuntimeException | Error e) {
      FileTrees.deleteTree(version, e);
      throw e;
    }
    return swapIn(version, files.size(), topNames);
  }

  /**
   * Publishes the files under {@code staging} as the new version by renaming the folder in, so
   * contents are streamed to disk by whoever wrote them and never held in memory; returns the
   * version's folder name. {@code staging} must be on the target's file system and hold only
   * folders and regular files under names {@link #publish(Map)} accepts; it is gone afterwards.
   */
  public synchronized String publish(Path staging) throws IOException {
    List<String> names = new ArrayList<>();
    List<Path> folders = new ArrayList<>(List.of(staging)); // in walk order, each after its parent
    try (Stream<Path> walk = Files.walk(staging)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(staging)) continue;
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = staging.relativize(p).toString();
        RelativePaths.check(name);
        if (a.isRegularFile()) {
          names.add(name);
        } else if (a.isDirectory()) {
          folders.add(p);
        } else {
          throw new IllegalArgumentException("not a regular file or folder in staging: " + name);
        }
      }
    }
    Set<String> topNames = VisibleLinks.topNames(names.stream());
    links.checkNoConflicts(topNames);
    for (String name : names) { // (1) the writer may not have forced them
      AtomicFiles.force(staging.resolve(name));
    }
    FileTrees.forceWalked(folders);
    Path version = target.resolve(versions.nextName());
    Files.move(staging, version, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.force(target);
    return swapIn(version, names.size(), topNames);
  }

  /**
   * A new, empty staging folder {@code ..staging.<random>} in the target, for
   * {@link #publish(Path)}: on the target's file system (so the move in is a rename), hidden like
   * the layout's own names, and removed by the next start if a crash leaves it behind.
   */
  public Path newStaging() throws IOException {
    return Files.createDirectory(target.resolve(STAGING_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong())));
  }

  /** Deletes a staging folder that will not be published, and everything in it. */
  public static void discard(Path staging) throws IOException {
    Trees.delete(staging);
  }

  /** Steps (2) to (4) for a written, forced version folder. */
  private String swapIn(Path version, int fileCount, Set<String> topNames) throws IOException {
    String name = version.getFileName().toString();
    events.versionWritten(name, fileCount);
    String previous = current().orElse(null);
    Path tmp = target.resolve(DATA_TMP);
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(name)); // (2) relative, so the volume may be mounted anywhere
    Files.move(tmp, target.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.force(target);
    events.swapped(previous, name);
    links.sync(topNames); // (3)
    versions.removeExcept(name, events::versionRemoved); // (4)
    return name;
  }

  /** Removes the leftovers of a crashed publish and completes steps (3) and (4) for the published version. */
  private void recover() throws IOException {
    if (Files.deleteIfExists(target.resolve(DATA_TMP))) {
      events.leftoverRemoved(DATA_TMP);
    }
    try (DirectoryStream<Path> stagings = Files.newDirectoryStream(target, p -> p.getFileName().toString().startsWith(STAGING_PREFIX))) {
      for (Path p : stagings) {
        Trees.delete(p);
        events.leftoverRemoved(p.getFileName().toString());
      }
    }
    Optional<String> current = current();
    versions.removeExcept(current.orElse(null), events::leftoverRemoved);
    if (current.isPresent()) {
      Path version = target.resolve(current.get());
      try (Stream<Path> top = Files.list(version)) {
        links.sync(VisibleLinks.topNames(top.map(p -> p.getFileName().toString())));
      }
      versions.nameAfter(current.get());
    }
  }
}
