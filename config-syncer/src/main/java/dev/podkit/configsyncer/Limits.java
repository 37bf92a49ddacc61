package dev.podkit.configsyncer;

/**
 * How big one version may be, checked while it is written, before anything is published.
 *
 * @param maxBytes the most bytes all files of a version may hold together (after unpacking), and
 *     the most a download may carry
 * @param maxFiles the most files (and folders) a version may hold
 */
record Limits(long maxBytes, int maxFiles) {
  Limits {
    if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes <= 0: " + maxBytes);
    if (maxFiles <= 0) throw new IllegalArgumentException("maxFiles <= 0: " + maxFiles);
  }
}
