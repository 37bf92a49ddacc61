package dev.podkit.logformat;

/**
 * Parses one line of a known format into a {@link LogRecord} that the caller has reset to the
 * line. A line that does not match is not an exception: the parser answers {@link
 * Result#NO_MATCH}, and the caller passes the line on with its raw text as message and a
 * parse-error flag. A parser of a format that splits events over lines (CRI {@code P} lines,
 * Docker json-file chunks without a newline) answers {@link Result#PENDING} for the parts and
 * {@link Result#EVENT} for the last, after pointing the record at its merged bytes with {@link
 * LogRecord#reset}. Implementations keep scratch state (not thread-safe) and never throw on any
 * input bytes.
 */
public interface LineParser {
  /** What one line gave. */
  enum Result {
    /** The record holds a whole event. */
    EVENT,
    /** The line does not match the format. */
    NO_MATCH,
    /** The line was a part of an event that later lines complete: nothing to write yet. */
    PENDING
  }

  /** Parses {@code record.src()[record.srcStart(), record.srcEnd())}. */
  Result parse(LogRecord record);

  /** Whether parts of an event are held ({@link Result#PENDING} lines not yet in an event). */
  default boolean holdsParts() {
    return false;
  }

  /**
   * Called when no more lines are coming for a while (or at the end): a parser holding pending
   * parts puts them into {@code record} as one event and returns true; otherwise false.
   */
  default boolean flush(LogRecord record) {
    return false;
  }
}
