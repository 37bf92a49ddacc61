package dev.podkit.logshipper;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * One include pattern without braces, split for scanning: {@link #root}, the folder named by its
 * leading parts that hold no glob characters, where a scan starts; then the name segments below
 * it, each a literal name, a glob for one name ({@code *}, {@code ?}, {@code [a-z]}), or
 * {@code **} for any number of folders. {@link #parse} expands braces first, so
 * {@code /var/log/{app,web}/*.log} scans {@code /var/log/app} and {@code /var/log/web}, not all of
 * {@code /var/log}.
 */
final class PathPattern {
  /** Most patterns one include may expand to, so a typo cannot make thousands of scans. */
  static final int MAX_ALTERNATIVES = 256;
  /** Segments after the root, as bits of a long in a scan. */
  static final int MAX_SEGMENTS = 63;

  private final Path root;
  /** Name segments below root; never empty, and never ending with {@code **}. */
  private final List<String> segments;
  /** Per segment: null for a literal name or {@code **}, else its glob. */
  private final PathMatcher[] globs;

  private PathPattern(Path root, List<String> segments) {
    this.root = root;
    this.segments = segments;
    this.globs = new PathMatcher[segments.size()];
    for (int i = 0; i < globs.length; i++) {
      String s = segments.get(i);
      if (!s.equals("**") && hasGlob(s)) {
        globs[i] = FileSystems.getDefault().getPathMatcher("glob:" + s);
      }
    }
  }

  /** The patterns {@code pattern} stands for, braces expanded. */
  static List<PathPattern> parse(String pattern) {
    if (!pattern.startsWith("/")) throw new IllegalArgumentException("include not absolute: " + pattern);
    List<PathPattern> out = new ArrayList<>();
    for (String p : Braces.expand(pattern, MAX_ALTERNATIVES)) {
      out.add(split(p, pattern));
    }
    return out;
  }

  private static PathPattern split(String expanded, String pattern) {
    List<String> parts = new ArrayList<>();
    for (String s : expanded.split("/")) {
      if (s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException("include has a . or .. part: " + pattern);
      }
      boolean repeatedStars = s.equals("**") && !parts.isEmpty() && parts.getLast().equals("**");
      if (!s.isEmpty() && !repeatedStars) {
        parts.add(s);
      }
    }
    if (parts.isEmpty()) throw new IllegalArgumentException("include names no file: " + pattern);
    if (parts.getLast().equals("**")) {
      parts.add("*"); // a trailing ** means every file below
    }
    int literal = 0;
    while (literal < parts.size() - 1 && !hasGlob(parts.get(literal))) {
      literal++;
    }
    List<String> rest = List.copyOf(parts.subList(literal, parts.size()));
    if (rest.size() > MAX_SEGMENTS) throw new IllegalArgumentException("include too deep: " + pattern);
    try {
      return new PathPattern(Path.of("/", parts.subList(0, literal).toArray(String[]::new)), rest);
    } catch (IllegalArgumentException e) { // PatternSyntaxException: an unclosed [
      throw new IllegalArgumentException("include not a valid glob: " + pattern);
    }
  }

  private static boolean hasGlob(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      switch (segment.charAt(i)) {
        case '*', '?', '[', '{', '\\' -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  /** The folder a scan starts in. */
  Path root() {
    return root;
  }

  /** How many segments follow the root. */
  int size() {
    return segments.size();
  }

  /** Whether segment {@code i} is {@code **}. */
  boolean anyDepth(int i) {
    return globs[i] == null && segments.get(i).equals("**");
  }

  /** Whether segment {@code i} is a plain name, with no glob characters. */
  boolean literal(int i) {
    return globs[i] == null && !anyDepth(i);
  }

  /** Segment {@code i} as written. */
  String segment(int i) {
    return segments.get(i);
  }

  /** Whether segment {@code i}, not {@code **}, matches the file name {@code name}. */
  boolean matches(int i, Path name) {
    PathMatcher glob = globs[i];
    return glob == null ? segments.get(i).equals(name.toString()) : glob.matches(name);
  }

  @Override
  public String toString() {
    return root + " " + segments;
  }
}
