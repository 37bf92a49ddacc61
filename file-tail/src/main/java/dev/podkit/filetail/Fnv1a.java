package dev.podkit.filetail;

/**
 * The 64-bit FNV-1a hash, computed incrementally: the hash of a prefix is the state that hashing
 * the following bytes continues from. Small and fast on the short spans fingerprints cover; not
 * meant to resist deliberate collisions.
 */
final class Fnv1a {
  /** The hash of no bytes, where every computation starts. */
  static final long INIT = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fnv1a() {}

  /** Continues {@code hash} over {@code b[off, off + len)}. */
  static long update(long hash, byte[] b, int off, int len) {
    long h = hash;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ (b[i] & 0xff)) * PRIME;
    }
    return h;
  }
}
