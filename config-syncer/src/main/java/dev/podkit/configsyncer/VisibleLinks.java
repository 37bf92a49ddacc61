package dev.podkit.configsyncer;

import dev.podkit.runtime.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The user-visible names of a {@link Publisher}'s target: one relative symlink
 * {@code name -> ..data/name} per top-level name of the published version, so that apps can read
 * {@code target/name} and still see one whole version. Used only under the publisher's lock.
 */
final class VisibleLinks {
  private static final Path DATA_LINK_PREFIX = Path.of(Publisher.DATA);

  private final Path target;
  private final PublishEvents events;

  /** The links in {@code target}; created and removed ones are told to {@code events}. */
  VisibleLinks(Path target, PublishEvents events) {
    this.target = target;
    this.events = events;
  }

  /** The top-level names of {@code names} (file names relative to a version folder). */
  static Set<String> topNames(Stream<String> names) {
    Set<String> top = new TreeSet<>();
    names.forEach(n -> top.add(n.split("/", 2)[0]));
    return top;
  }

  /** Makes the user-visible links exactly {@code topNames}, each {@code name -> ..data/name}. */
  void sync(Set<String> topNames) throws IOException {
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
    AtomicFiles.force(target);
  }

  /** Fails before anything is written if a top-level name is taken by something not our link. */
  void checkNoConflicts(Set<String> topNames) throws IOException {
    for (String name : topNames) {
      Path p = target.resolve(name);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
          && !(Files.isSymbolicLink(p) && Files.readSymbolicLink(p).equals(DATA_LINK_PREFIX.resolve(name)))) {
        throw new IOException("target holds " + p + ", which is not a link into " + Publisher.DATA + "; not replacing it");
      }
    }
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
}
