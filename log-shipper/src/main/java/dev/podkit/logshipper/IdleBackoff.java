package dev.podkit.logshipper;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How often the tailing thread looks at each file: every round while it grows; while it stays
 * idle, every 2nd, then 4th, 8th... round, at most {@code maxSkip + 1} rounds apart. Looking at
 * a file costs system calls (its size, what its path names, the bytes that prove the position),
 * so 10,000 idle files cost a fraction of what polling each every round did, and a file that
 * starts to grow again waits at most {@code maxSkip} rounds (the shipper passes one scan
 * interval's worth). Used by the tailing thread only.
 */
final class IdleBackoff {
  private final int maxSkip;
  /** Path to {rounds still to skip, the current span}; no entry: looked at every round. */
  private final Map<String, int[]> idle = new HashMap<>();

  IdleBackoff(int maxSkip) {
    if (maxSkip < 0) throw new IllegalArgumentException("maxSkip < 0: " + maxSkip);
    this.maxSkip = maxSkip;
  }

  /** Whether {@code path} is to be looked at this round (a skipped round is counted). */
  boolean due(String path) {
    int[] s = idle.get(path);
    if (s == null || s[0] == 0) {
      return true;
    }
    s[0]--;
    return false;
  }

  /** {@code path} was looked at and gave {@code read} bytes. */
  void polled(String path, int read) {
    if (read > 0) {
      idle.remove(path);
      return;
    }
    int[] s = idle.computeIfAbsent(path, k -> new int[2]);
    s[1] = Math.min(maxSkip, s[1] * 2 + 1);
    s[0] = s[1];
  }

  /** Forgets the files no longer followed. */
  void retain(Set<String> followed) {
    idle.keySet().retainAll(followed);
  }
}
