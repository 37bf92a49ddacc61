package dev.podkit.filetail;

/** What the framer does with a line longer than its maximum. Neither drops the line. */
public enum LongLines {
  /** Deliver the whole line in pieces of at most the maximum, flagged CUT and CONTINUED. */
  SPLIT,
  /** Deliver its first bytes flagged TRUNCATED and skip the rest up to the newline, counting it. */
  TRUNCATE
}
