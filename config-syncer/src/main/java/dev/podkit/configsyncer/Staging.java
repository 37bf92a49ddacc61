package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A staging folder being filled with one version's files, as a source or an archive hands them
 * over: every name is checked to stay inside, sizes and counts are checked against the
 * {@link Limits} while bytes arrive (a huge or endless file is stopped at the limit, never held in
 * memory), and links are not created but recorded, then {@link #finish() copied} from their
 * targets inside the version, or refused when they point outside. Nothing here is ever a symlink,
 * so writing a name can never land outside the folder.
 */
final class Staging {
  private static final int BUFFER = 64 * 1024;

  private final Path root;
  private final Limits limits;
  private final Cancellation cancellation;
  private final List<Link> links = new ArrayList<>();
  private long bytes;
  private int entries;

  /** A link entry: {@code name} should read as {@code target}, resolved against {@code base}. */
  private record Link(String name, String target, String base) {}

  Staging(Path root, Limits limits, Cancellation cancellation) {
    this.root = root;
    this.limits = limits;
    this.cancellation = cancellation;
  }

  Path root() {
    return root;
  }

  long bytes() {
    return bytes;
  }

  int entries() {
    return entries;
  }

  Cancellation cancellation() {
    return cancellation;
  }

  Limits limits() {
    return limits;
  }

  /** Writes {@code content} to its end as the file {@code name}. */
  void file(String name, InputStream content) throws IOException, SyncFailure {
    Path file = resolve(name);
    count();
    createParents(file, name);
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      copy(content, out, name);
    } catch (FileAlreadyExistsException e) {
      throw new SyncFailure(Reason.FORMAT, "entry given twice: " + name);
    }
  }

  /** Creates the folder {@code name} (and its parents). */
  void folder(String name) throws IOException, SyncFailure {
    Path dir = resolve(name);
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
    count();
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new SyncFailure(Reason.FORMAT, "folder and file share a name: " + name);
    }
  }

  /**
   * Records a symbolic link {@code name -> target}; {@code target} is relative to the link's
   * folder. An absolute target is refused at once.
   */
  void symlink(String name, String target) throws SyncFailure {
    resolve(name);
    if (target.startsWith("/")) {
      throw new SyncFailure(Reason.UNSAFE_PATH, "link " + name + " points to an absolute path: " + target);
    }
    int slash = name.lastIndexOf('/');
    links.add(new Link(name, target, slash < 0 ? "" : name.substring(0, slash)));
  }

  /** Records a hard link: {@code name} has the content of the entry {@code target} (a name from the root). */
  void hardLink(String name, String target) throws SyncFailure {
    resolve(name);
    links.add(new Link(name, target, ""));
  }

  /**
   * Completes the version: each recorded link becomes a copy of the regular file it points at,
   * which must be inside the version; a link outward, to a folder, to another link or to nothing
   * is refused.
   */
  void finish() throws IOException, SyncFailure {
    for (Link l : links) {
      String resolved = normalize(l.base().isEmpty() ? l.target() : l.base() + "/" + l.target(), l);
      Path from = resolve(resolved);
      if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
        throw new SyncFailure(Reason.UNSAFE_PATH, "link " + l.name() + " -> " + l.target()
            + " does not point at a file of the version");
      }
      try (InputStream in = Files.newInputStream(from)) {
        file(l.name(), in);
      }
    }
    links.clear();
  }

  /** {@code path} with {@code .} and {@code ..} segments folded; refused if it climbs out of the root. */
  private static String normalize(String path, Link l) throws SyncFailure {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (s.isEmpty() || s.equals(".")) continue;
      if (s.equals("..")) {
        if (out.isEmpty()) {
          throw new SyncFailure(Reason.UNSAFE_PATH, "link " + l.name() + " points outside the version: " + l.target());
        }
        out.removeLast();
      } else {
        out.add(s);
      }
    }
    if (out.isEmpty()) {
      throw new SyncFailure(Reason.UNSAFE_PATH, "link " + l.name() + " points at the version's root");
    }
    return String.join("/", out);
  }

  /**
   * The checked path of an entry name as archives write them: a leading {@code ./} and a trailing
   * {@code /} are dropped; absolute names, {@code ..} segments and the layout's own {@code ..}
   * names are refused.
   */
  private Path resolve(String name) throws SyncFailure {
    String n = name;
    while (n.startsWith("./")) n = n.substring(2);
    while (n.endsWith("/") && n.length() > 1) n = n.substring(0, n.length() - 1);
    try {
      return RelativePaths.resolve(root, n);
    } catch (IllegalArgumentException e) {
      throw new SyncFailure(Reason.UNSAFE_PATH, e.getMessage());
    }
  }

  private void createParents(Path file, String name) throws IOException, SyncFailure {
    Path parent = file.getParent();
    if (!parent.equals(root) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectories(parent);
      } catch (FileAlreadyExistsException e) {
        throw new SyncFailure(Reason.FORMAT, "a file is in the way of " + name);
      }
    }
  }

  private void count() throws SyncFailure {
    if (++entries > limits.maxFiles()) {
      throw new SyncFailure(Reason.LIMIT, "more than " + limits.maxFiles() + " files (--max-files)");
    }
  }

  private void copy(InputStream in, OutputStream out, String name) throws IOException, SyncFailure {
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) > 0) {
      bytes += n;
      if (bytes > limits.maxBytes()) {
        throw new SyncFailure(Reason.LIMIT, "more than " + limits.maxBytes() + " bytes (--max-bytes), at " + name);
      }
      cancellation.check();
      out.write(buf, 0, n);
    }
  }
}
