package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * One or more local folders, merged into one version: typically mounted ConfigMaps and Secrets to
 * be combined into one folder, or moved out of a volume the app cannot watch properly. A folder in
 * the kubelet layout is read from the version its {@code ..data} link names, resolved once, so the
 * copy is of one whole version even while the kubelet swaps in the next (names starting with
 * {@code ..} are skipped everywhere). Links are followed only when they stay inside
 * their folder. A name present in two folders is a conflict. Always writes a version: the
 * {@link Syncer} tells by digest whether it changed.
 */
final class DirectorySource implements Source {
  private final List<Path> folders;

  DirectorySource(List<Path> folders) {
    this.folders = List.copyOf(folders);
  }

  @Override
  public Fetch fetch(Staging staging) throws IOException, SyncFailure {
    for (Path folder : folders) {
      Path root = folder.toRealPath();
      if (!Files.isDirectory(root)) {
        try (InputStream in = Files.newInputStream(root)) {
          staging.file(folder.getFileName().toString(), in);
        }
        continue;
      }
      Path data = root.resolve(Publisher.DATA);
      if (Files.isSymbolicLink(data)) {
        // Resolved once: a swap during the copy cannot mix two versions.
        Path version;
        try {
          version = data.toRealPath();
        } catch (NoSuchFileException e) {
          throw new SyncFailure(Reason.FETCH, "the ..data link of " + root + " points at nothing");
        }
        copy(version, version, "", staging);
      } else {
        copy(root, root, "", staging);
      }
    }
    return new Fetched(null);
  }

  private static void copy(Path root, Path dir, String prefix, Staging staging) throws IOException, SyncFailure {
    TreeSet<Path> children = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) children.add(p);
    } catch (NoSuchFileException e) {
      throw new SyncFailure(Reason.FETCH, "folder vanished: " + dir);
    }
    for (Path p : children) {
      staging.cancellation().check();
      String name = p.getFileName().toString();
      if (name.startsWith("..")) continue; // the kubelet layout's own names, or hidden by that convention
      Path real;
      try {
        real = p.toRealPath();
      } catch (NoSuchFileException e) {
        continue; // a dangling link, or removed while we read: not part of the version
      }
      if (!real.startsWith(root)) {
        throw new SyncFailure(Reason.UNSAFE_PATH, "link " + prefix + name + " points outside " + root);
      }
      String entry = prefix + name;
      if (Files.isDirectory(real)) {
        staging.folder(entry);
        copy(root, p, entry + "/", staging);
      } else if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        try (InputStream in = Files.newInputStream(real)) {
          staging.file(entry, in);
        }
      }
    }
  }

  @Override
  public void forget() {
    // nothing remembered
  }

  @Override
  public String describe() {
    return folders.size() == 1 ? folders.getFirst().toString() : folders.toString();
  }
}
