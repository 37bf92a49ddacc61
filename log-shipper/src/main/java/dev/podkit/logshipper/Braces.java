package dev.podkit.logshipper;

import java.util.ArrayList;
import java.util.List;

/**
 * Brace expansion of a glob, as shells do it: {@code /a/{x,y{1,2}}/*.log} stands for
 * {@code /a/x/*.log}, {@code /a/y1/*.log} and {@code /a/y2/*.log}. Done before a pattern is
 * split into folders, so an alternative may hold a {@code /}. A backslash escapes the next
 * character, and a brace inside {@code [...]} is a plain character.
 */
final class Braces {
  private Braces() {}

  /** The patterns {@code pattern} stands for, in order; at most {@code max} of them. */
  static List<String> expand(String pattern, int max) {
    List<String> out = new ArrayList<>();
    expand(pattern, pattern, max, out);
    return out;
  }

  private static void expand(String p, String original, int max, List<String> out) {
    List<Integer> bounds = new ArrayList<>(); // the outermost group's {, commas and }
    int depth = 0;
    for (int i = 0; i < p.length() && (bounds.isEmpty() || depth > 0); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        int end = p.indexOf(']', i + 1);
        i = end < 0 ? i : end;
      } else if (c == '{') {
        if (depth++ == 0) bounds.add(i);
      } else if (c == '}' && depth > 0) { // a '}' outside a group is a plain character
        if (--depth == 0) bounds.add(i);
      } else if (c == ',' && depth == 1) {
        bounds.add(i);
      }
    }
    if (depth != 0) throw new IllegalArgumentException("unbalanced braces: " + original);
    if (bounds.isEmpty()) {
      if (out.size() == max) throw new IllegalArgumentException("more than " + max + " alternatives: " + original);
      out.add(p);
      return;
    }
    String prefix = p.substring(0, bounds.getFirst());
    String suffix = p.substring(bounds.getLast() + 1);
    for (int k = 0; k + 1 < bounds.size(); k++) {
      expand(prefix + p.substring(bounds.get(k) + 1, bounds.get(k + 1)) + suffix, original, max, out);
    }
  }
}
