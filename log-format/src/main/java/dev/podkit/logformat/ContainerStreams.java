package dev.podkit.logformat;


/**
 * What the CRI and Docker json-file parsers share: the names of the two streams, and turning a
 * stream's held parts into an event.
 */
final class ContainerStreams {
  static final String STDOUT = "stdout";
  static final String STDERR = "stderr";

  private ContainerStreams() {}

  /** Whether {@code b[p]} starts {@code stdout}. */
  static boolean isStdout(byte[] b, int p) {
    return p + 6 <= b.length && b[p] == 's' && b[p + 1] == 't' && b[p + 2] == 'd' && b[p + 3] == 'o'
        && b[p + 4] == 'u' && b[p + 5] == 't';
  }

  /** Whether {@code b[p]} starts {@code stderr}. */
  static boolean isStderr(byte[] b, int p) {
    return p + 6 <= b.length && b[p] == 's' && b[p + 1] == 't' && b[p + 2] == 'd' && b[p + 3] == 'e'
        && b[p + 4] == 'r' && b[p + 5] == 'r';
  }

  /**
   * Points the record at the parts as one event (time of the first part, the stream, the whole
   * content as message, and {@value CriParser#PARTIAL} when cut at the bound) and clears them; the
   * bytes stay valid until the buffer's next append.
   */
  static void emit(LogRecord r, PartialBuffer parts, String stream, boolean cut) {
    r.reset(parts.bytes(), 0, parts.length());
    if (parts.hasTime()) {
      r.time(parts.seconds(), parts.nanos());
    }
    r.text(Fields.STREAM, stream);
    r.message(0, parts.length());
    if (cut) {
      r.bool(CriParser.PARTIAL, true);
    }
    parts.clear();
  }

  /** Emits the held parts of stdout, else of stderr, as an event cut short; false if none. */
  static boolean flush(LogRecord r, PartialBuffer stdout, PartialBuffer stderr) {
    if (!stdout.isEmpty()) {
      emit(r, stdout, STDOUT, true);
      return true;
    }
    if (!stderr.isEmpty()) {
      emit(r, stderr, STDERR, true);
      return true;
    }
    return false;
  }
}
