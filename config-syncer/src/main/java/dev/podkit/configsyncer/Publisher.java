package dev.podkit.configsyncer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
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
  private static final Path DATA_LINK_PREFIX = Path.of(DATA);
  private static final Pattern VERSION = Pattern.compile("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d{9}");
  private static final DateTimeFormatter VERSION_FORMAT =
      DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.nnnnnnnnn").withZone(ZoneOffset.UTC);

  private final Path target;
  private final InstantSource clock;
  private final PublishEvents events;
  /** The instant of the newest version folder named so far; new names are always later, so they sort in order and never collide. */
  private Instant lastVersion = Instant.EPOCH;

  /**
   * A publisher for {@code target} (created if missing) that names versions after {@code clock}
   * (wall time, not a {@link dev.podkit.runtime.Ticker}: the names are timestamps). Removes what a
   * crashed publish left behind, keeping the published version.
   */
  public Publisher(Path target, InstantSource clock, PublishEvents events) throws IOException {
    this.target = target.toAbsolutePath();
    this.clock = clock;
    this.events = events;
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
    Set<String> topNames = topNames(files.keySet().stream());
    checkNoConflicts(topNames);
    Path version = target.resolve(nextVersionName());
    Files.createDirectory(version);
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) { // (1)
        Path file = RelativePaths.resolve(version, f.getKey());
        Files.createDirectories(file.getParent());
        write(file, f.getValue());
      }
      forceFolders(version);
    } catch (IOException | RuntimeException | Error e) {
      deleteTree(version, e);
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
    try (Stream<Path> walk = Files.walk(staging)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (p.equals(staging)) continue;
        String name = staging.relativize(p).toString();
        RelativePaths.check(name);
        if (a.isRegularFile()) {
          names.add(name);
        } else if (!a.isDirectory()) {
          throw new IllegalArgumentException("not a regular file or folder in staging: " + name);
        }
      }
    }
    Set<String> topNames = topNames(names.stream());
    checkNoConflicts(topNames);
    for (String name : names) { // (1) the writer may not have forced them
      try (FileChannel ch = FileChannel.open(staging.resolve(name), StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
    forceFolders(staging);
    Path version = target.resolve(nextVersionName());
    Files.move(staging, version, StandardCopyOption.ATOMIC_MOVE);
    force(target);
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
    if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
      deleteTree(staging);
    }
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
    force(target);
    events.swapped(previous, name);
    syncLinks(topNames); // (3)
    removeVersionsExcept(name); // (4)
    return name;
  }

  /** Makes the user-visible links exactly {@code topNames}, each {@code name -> ..data/name}. */
  private void syncLinks(Set<String> topNames) throws IOException {
    for (String name : managedLinks()) {
      if (!topNames.contains(name)) {
        Files.delete(target.resolve(name));
        events.linkRemoved(name);
      }
    }
    for (String name : topNames) {
      Path link = target.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, DATA_LINK_PREFIX.resolve(name));
        events.linkCreated(name);
      }
    }
    force(target);
  }

  /** The top-level symlinks into {@code ..data}: the user-visible names this layout owns. */
  private Set<String> managedLinks() throws IOException {
    Set<String> links = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && Files.isSymbolicLink(p)
            && Files.readSymbolicLink(p).equals(DATA_LINK_PREFIX.resolve(name))) {
          links.add(name);
        }
      }
    }
    return links;
  }

  /** Fails before anything is written if a top-level name is taken by something not our link. */
  private void checkNoConflicts(Set<String> topNames) throws IOException {
    for (String name : topNames) {
      Path p = target.resolve(name);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
          && !(Files.isSymbolicLink(p) && Files.readSymbolicLink(p).equals(DATA_LINK_PREFIX.resolve(name)))) {
        throw new IOException("target holds " + p + ", which is not a link into " + DATA + "; not replacing it");
      }
    }
  }

  private void removeVersionsExcept(String keep) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target, p -> VERSION.matcher(p.getFileName().toString()).matches())) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.equals(keep)) {
          deleteTree(p);
          events.versionRemoved(name);
        }
      }
    }
  }

  /** Removes the leftovers of a crashed publish and completes steps (3) and (4) for the published version. */
  private void recover() throws IOException {
    if (Files.deleteIfExists(target.resolve(DATA_TMP))) {
      events.leftoverRemoved(DATA_TMP);
    }
    try (DirectoryStream<Path> stagings = Files.newDirectoryStream(target, p -> p.getFileName().toString().startsWith(STAGING_PREFIX))) {
      for (Path p : stagings) {
        deleteTree(p);
        events.leftoverRemoved(p.getFileName().toString());
      }
    }
    Optional<String> current = current();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target, p -> VERSION.matcher(p.getFileName().toString()).matches())) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (current.isEmpty() || !name.equals(current.get())) {
          deleteTree(p);
          events.leftoverRemoved(name);
        }
      }
    }
    if (current.isPresent()) {
      Path version = target.resolve(current.get());
      try (Stream<Path> top = Files.list(version)) {
        syncLinks(topNames(top.map(p -> p.getFileName().toString())));
      }
      lastVersion = parseVersion(current.get());
    }
  }

  private String nextVersionName() {
    Instant now = clock.instant();
    lastVersion = now.isAfter(lastVersion) ? now : lastVersion.plusNanos(1);
    return VERSION_FORMAT.format(lastVersion);
  }

  private static Instant parseVersion(String name) {
    return VERSION_FORMAT.parse(name, Instant::from);
  }

  private static Set<String> topNames(Stream<String> names) {
    Set<String> top = new TreeSet<>();
    names.forEach(n -> top.add(n.split("/", 2)[0]));
    return top;
  }

  private static void write(Path file, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Forces every folder under {@code root}, deepest first, so the entries of each survive a power loss. */
  private static void forceFolders(Path root) throws IOException {
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(root)) {
      folders = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path folder : folders.reversed()) {
      force(folder);
    }
  }

  private static void force(Path folder) throws IOException {
    try (FileChannel d = FileChannel.open(folder, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Deletes {@code root} and all under it, without following links. */
  private static void deleteTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.toList();
    }
    for (Path p : paths.reversed()) {
      Files.deleteIfExists(p);
    }
  }

  private static void deleteTree(Path root, Throwable cause) {
    try {
      deleteTree(root);
    } catch (IOException | UncheckedIOException cleanup) {
      cause.addSuppressed(cleanup);
    }
  }
}
