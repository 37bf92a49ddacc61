package dev.podkit.configsyncer;

import java.nio.file.Path;

/**
 * The check that a file name of a published version stays inside its version folder: relative,
 * no {@code .} or {@code ..} segments, no empty segments, and a first segment that does not start
 * with {@code ..} (those names are the layout's own: {@code ..data}, version folders).
 */
final class RelativePaths {
  private RelativePaths() {}

  /** Returns {@code name} split into its segments; throws IllegalArgumentException naming the problem. */
  static String[] check(String name) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty file name");
    if (name.startsWith("/")) throw new IllegalArgumentException("absolute file name: " + name);
    if (name.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL in file name: " + name);
    if (name.indexOf('\\') >= 0) throw new IllegalArgumentException("backslash in file name: " + name);
    String[] segments = name.split("/", -1);
    for (String s : segments) {
      if (s.isEmpty()) throw new IllegalArgumentException("empty segment in file name: " + name);
      if (s.equals(".") || s.equals("..")) throw new IllegalArgumentException("'" + s + "' segment in file name: " + name);
    }
    if (segments[0].startsWith("..")) {
      throw new IllegalArgumentException("file name starts with '..', reserved for the layout: " + name);
    }
    return segments;
  }

  /** {@code name}, checked, resolved against {@code folder}. */
  static Path resolve(Path folder, String name) {
    Path p = folder;
    for (String s : check(name)) {
      p = p.resolve(s);
    }
    return p;
  }
}
