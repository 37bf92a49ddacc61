package dev.podkit.runtime;

import java.util.Locale;

/**
 * Byte sizes as people write them in flags and Kubernetes manifests: {@code 512}, {@code 64k},
 * {@code 100Mi}, {@code 2G}. {@code k}, {@code M}, {@code G} and their {@code i} forms are all
 * powers of 1024 (a limit, not a disk label), an optional trailing {@code B} is allowed.
 */
public final class ByteSizes {
  private ByteSizes() {}

  /** Parses {@code text}; throws IllegalArgumentException naming it when it is not a size. */
  public static long parse(String text) {
    String t = text.strip();
    String u = t.toUpperCase(Locale.ROOT);
    if (u.endsWith("B")) u = u.substring(0, u.length() - 1);
    if (u.endsWith("I")) u = u.substring(0, u.length() - 1);
    int shift = 0;
    if (!u.isEmpty()) {
      switch (u.charAt(u.length() - 1)) {
        case 'K' -> shift = 10;
        case 'M' -> shift = 20;
        case 'G' -> shift = 30;
        case 'T' -> shift = 40;
        default -> { }
      }
    }
    String digits = shift == 0 ? u : u.substring(0, u.length() - 1);
    long n;
    try {
      n = Long.parseLong(digits.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size such as 512, 64Ki or 100Mi: '" + text + "'");
    }
    if (n < 0) throw new IllegalArgumentException("negative size: '" + text + "'");
    if (n > Long.MAX_VALUE >> shift) throw new IllegalArgumentException("size too large: '" + text + "'");
    return n << shift;
  }

  /** {@code bytes} written back the shortest exact way: {@code 100Mi}, {@code 1536}. */
  public static String format(long bytes) {
    String[] units = {"", "Ki", "Mi", "Gi", "Ti"};
    int i = 0;
    long v = bytes;
    while (i < units.length - 1 && v != 0 && v % 1024 == 0) {
      v /= 1024;
      i++;
    }
    return v + units[i];
  }
}
