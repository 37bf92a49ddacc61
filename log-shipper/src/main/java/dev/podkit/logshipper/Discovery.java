package dev.podkit.logshipper;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds the files to tail: the regular files that match an include pattern and no exclude
 * pattern, found afresh on each {@link #scan}.
 *
 * <p>Include patterns are absolute globs: {@code *} and {@code ?} within a name, {@code [a-z]},
 * {@code {a,b}} (may hold a {@code /}), and {@code **} for any number of folders, down to
 * {@value #MAX_ANY_DEPTH} below the scan's start. A scan starts at a pattern's leading folders that hold no glob
 * characters, never above them, and lists only folders the pattern can still match below.
 * {@code *} matches names starting with a dot, as in Java's globs.
 *
 * <p>Exclude patterns are globs too: one with a {@code /} is matched against the whole path
 * ({@code /var/log/pods/kube-system_*}{@code /**}), one without against the file name
 * ({@code *.gz}).
 *
 * <p>Symlinks are followed, as Kubernetes' {@code /var/log/containers/*.log} are links into
 * {@code /var/log/pods}; the path reported is the name found, not the link's target, and a
 * dangling link is no file. Folders met again below themselves through a link are skipped.
 */
public final class Discovery {
  /** Most folders one {@code **} matches. */
  public static final int MAX_ANY_DEPTH = 16;

  private final List<PathPattern> includes = new ArrayList<>();
  private final List<PathMatcher> pathExcludes = new ArrayList<>();
  private final List<PathMatcher> nameExcludes = new ArrayList<>();
  private final DiscoveryEvents events;
  private Set<Path> folders = Set.of();

  /**
   * A discovery of the files {@code include} matches, less those {@code exclude} matches.
   *
   * @throws IllegalArgumentException for the first pattern {@link #problems} finds
   */
  public Discovery(List<String> include, List<String> exclude, DiscoveryEvents events) {
    List<String> problems = problems(include, exclude);
    if (!problems.isEmpty()) throw new IllegalArgumentException(problems.getFirst());
    for (String p : include) {
      includes.addAll(PathPattern.parse(p));
    }
    for (String p : exclude) {
      (p.startsWith("/") ? pathExcludes : nameExcludes).add(FileSystems.getDefault().getPathMatcher("glob:" + p));
    }
    this.events = events;
  }

  /** What is wrong with the patterns, one message per bad pattern; empty if nothing. */
  public static List<String> problems(List<String> include, List<String> exclude) {
    List<String> problems = new ArrayList<>();
    for (String p : include) {
      try {
        PathPattern.parse(p);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    for (String p : exclude) {
      if (!p.startsWith("/") && (p.isEmpty() || p.contains("/"))) {
        problems.add("exclude neither absolute nor a file name: " + p);
        continue;
      }
      try {
        FileSystems.getDefault().getPathMatcher("glob:" + p);
      } catch (IllegalArgumentException e) { // PatternSyntaxException: an unclosed [ or {
        problems.add("exclude not a valid glob: " + p);
      }
    }
    return problems;
  }

  /** The matching regular files now, sorted by path, each once. */
  public List<Path> scan() {
    return scan(p -> false);
  }

  /**
   * The same, where a matching name that {@code regularFile} accepts is taken as a regular file
   * without asking the file system: the caller knows (a file it has open by that name), and a
   * stat per file per scan is most of what following thousands of idle files costs.
   */
  public List<Path> scan(Predicate<Path> regularFile) {
    Set<Path> found = new TreeSet<>();
    Set<Path> looked = new HashSet<>();
    for (PathPattern p : includes) {
      new Walk(p, found, regularFile, looked).run();
    }
    folders = Set.copyOf(looked);
    return List.copyOf(found);
  }

  /** The folders the last scan looked in: where a new matching name would appear. */
  public Set<Path> folders() {
    return folders;
  }

  private boolean excluded(Path path) {
    for (PathMatcher m : pathExcludes) {
      if (m.matches(path)) return true;
    }
    Path name = path.getFileName();
    for (PathMatcher m : nameExcludes) {
      if (m.matches(name)) return true;
    }
    return false;
  }

  /**
   * One pattern's scan: a walk down from its root that carries, for each folder, the set of
   * pattern segments the folder's entries may match (bit i for segment i), as a matcher of
   * several states does; so each folder is listed once however many ways it matches.
   */
  private final class Walk {
    private final PathPattern pattern;
    private final Set<Path> found;
    private final Predicate<Path> regularFile;
    private final Set<Path> looked;
    private final int last;
    /** File keys of the folders from the root down to the one listed, to stop at link loops. */
    private final Set<Object> ancestors = new HashSet<>();

    Walk(PathPattern pattern, Set<Path> found, Predicate<Path> regularFile, Set<Path> looked) {
      this.pattern = pattern;
      this.found = found;
      this.regularFile = regularFile;
      this.looked = looked;
      this.last = pattern.size() - 1;
    }

    void run() {
      BasicFileAttributes attrs = attributes(pattern.root());
      if (attrs != null && attrs.isDirectory()) {
        visit(pattern.root(), attrs, closure(1L), 0);
      }
    }

    /** {@code states} plus, for each {@code **} in it, the segment after it ({@code **} matching no folder). */
    private long closure(long states) {
      for (int i = 0; i < last; i++) {
        if ((states & 1L << i) != 0 && pattern.anyDepth(i)) {
          states |= 1L << (i + 1);
        }
      }
      return states;
    }

    private void visit(Path dir, BasicFileAttributes attrs, long states, int depth) {
      Object key = attrs.fileKey();
      if (key != null && !ancestors.add(key)) {
        return; // a link back up: its files are found under their shorter name
      }
      looked.add(dir);
      try {
        if (allLiteral(states)) {
          // Nothing to list: look the names up (the common /var/log/app/x.log part).
          for (int i = 0; i <= last; i++) {
            if ((states & 1L << i) != 0) {
              Path child = dir.resolve(pattern.segment(i));
              entry(child, i == last, i == last ? 0 : closure(1L << (i + 1)), depth);
            }
          }
        } else {
          list(dir, states, depth);
        }
      } finally {
        if (key != null) {
          ancestors.remove(key);
        }
      }
    }

    private boolean allLiteral(long states) {
      for (int i = 0; i <= last; i++) {
        if ((states & 1L << i) != 0 && !pattern.literal(i)) return false;
      }
      return true;
    }

    private void list(Path dir, long states, int depth) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path child : entries) {
          Path name = child.getFileName();
          boolean file = false;
          long next = 0;
          for (int i = 0; i <= last; i++) {
            if ((states & 1L << i) == 0) continue;
            if (pattern.anyDepth(i)) {
              if (depth < MAX_ANY_DEPTH) next |= 1L << i; // ** takes this folder too
            } else if (pattern.matches(i, name)) {
              if (i == last) file = true;
              else next |= 1L << (i + 1);
            }
          }
          entry(child, file, closure(next), depth);
        }
      } catch (NoSuchFileException | NotDirectoryException e) {
        // The folder went away (or was replaced) since it was seen: nothing in it now.
      } catch (DirectoryIteratorException e) {
        failed(dir, e.getCause());
      } catch (IOException e) {
        failed(dir, e);
      }
    }

    /** {@code path} is a match if {@code file} and it is a regular file; it is walked into with {@code next}. */
    private void entry(Path path, boolean file, long next, int depth) {
      if (file && next == 0 && excluded(path)) {
        return; // decided without a stat, the common case
      }
      if (file && next == 0 && regularFile.test(path)) {
        found.add(path); // known to the caller: no stat
        return;
      }
      if (!file && next == 0) {
        return;
      }
      BasicFileAttributes attrs = attributes(path);
      if (attrs == null) {
        return;
      }
      if (file && attrs.isRegularFile() && !excluded(path)) {
        found.add(path);
      } else if (next != 0 && attrs.isDirectory()) {
        visit(path, attrs, next, depth + 1);
      }
    }

    /** The attributes of what {@code path} names, links followed; null if nothing (gone, dangling link). */
    private BasicFileAttributes attributes(Path path) {
      try {
        return Files.readAttributes(path, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        failed(path, e);
        return null;
      }
    }

    private void failed(Path path, IOException e) {
      if (!(e instanceof NoSuchFileException || e instanceof NotDirectoryException)) {
        events.scanFailed(path, e);
      }
    }
  }
}
