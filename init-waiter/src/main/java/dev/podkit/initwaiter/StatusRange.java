package dev.podkit.initwaiter;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP statuses that count as ready: a list of codes, ranges and classes, as in
 * {@code 200}, {@code 200-299}, {@code 2xx}, {@code 200,204,3xx}.
 */
record StatusRange(List<int[]> ranges, String text) {
  static StatusRange parse(String text) {
    List<int[]> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip().toLowerCase(java.util.Locale.ROOT);
      int[] r;
      if (p.matches("[1-5]xx")) {
        int c = (p.charAt(0) - '0') * 100;
        r = new int[] {c, c + 99};
      } else if (p.matches("\\d{3}-\\d{3}")) {
        r = new int[] {Integer.parseInt(p.substring(0, 3)), Integer.parseInt(p.substring(4))};
      } else if (p.matches("\\d{3}")) {
        r = new int[] {Integer.parseInt(p), Integer.parseInt(p)};
      } else {
        throw new IllegalArgumentException("bad status '" + part.strip() + "' (use 200, 200-299, 2xx or a comma list)");
      }
      if (r[0] < 100 || r[1] > 599 || r[0] > r[1]) {
        throw new IllegalArgumentException("bad status range '" + part.strip() + "'");
      }
      ranges.add(r);
    }
    return new StatusRange(List.copyOf(ranges), text);
  }

  boolean contains(int status) {
    for (int[] r : ranges) {
      if (status >= r[0] && status <= r[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
