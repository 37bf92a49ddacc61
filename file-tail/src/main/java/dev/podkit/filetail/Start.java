package dev.podkit.filetail;

/**
 * Where a follower starts in the file its path names when it first looks. A file that appears
 * later, or replaces the first one, is always read from its start.
 */
public sealed interface Start {
  /** From the first byte. */
  static Start beginning() {
    return new Beginning();
  }

  /** After the last complete line present: only what is written from now on. */
  static Start end() {
    return new End();
  }

  /** From a saved position if the file still matches it; from the beginning (reported) if not. */
  static Start at(Position position) {
    if (position == null) throw new IllegalArgumentException("position is null");
    return new At(position);
  }

  /** Start from the first byte. */
  record Beginning() implements Start {}

  /** Start after the last complete line present. */
  record End() implements Start {}

  /** Resume from {@code position}. */
  record At(Position position) implements Start {}
}
