package dev.podkit.logformat;


/**
 * A parser of CRI container log lines, as containerd and CRI-O write them under {@code
 * /var/log/pods}: {@code <RFC 3339 time> <stdout|stderr> <P|F>[:tags] <content>}. The content is
 * the message and the stream the field {@code stream}.
 *
 * <p>A {@code P} (partial) line is held and answered {@link Result#PENDING}; the next {@code F}
 * line of the same stream completes the event, which then holds the parts' content joined, the
 * time of its first part, and points at a buffer of this parser. Each stream has its own buffer,
 * so parts of stdout and stderr never mix. Once the joined content reaches {@code maxMergedBytes}
 * (it may pass it by one line) it is emitted at once with the boolean field {@value #PARTIAL}, and
 * the rest of that long line follows as further events.
 */
public final class CriParser implements LineParser {
  /** The boolean field of an event cut at the merge bound: its line goes on in the next event. */
  public static final String PARTIAL = "partial";
  /** The default bound of a merged event, as OpenTelemetry's collector has it. */
  public static final int DEFAULT_MAX_MERGED_BYTES = 1024 * 1024;

  private final int maxMergedBytes;
  private final PartialBuffer stdout = new PartialBuffer();
  private final PartialBuffer stderr = new PartialBuffer();

  /** A parser that bounds merged events at {@code maxMergedBytes}. */
  public CriParser(int maxMergedBytes) {
    if (maxMergedBytes < 1) {
      throw new IllegalArgumentException("maxMergedBytes < 1: " + maxMergedBytes);
    }
    this.maxMergedBytes = maxMergedBytes;
  }

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    int timeEnd = indexOf(b, s, e, (byte) ' ');
    int streamEnd = timeEnd < 0 ? -1 : indexOf(b, timeEnd + 1, e, (byte) ' ');
    boolean isStderr = streamEnd >= 0 && ContainerStreams.isStderr(b, timeEnd + 1);
    if (streamEnd < 0 || streamEnd - timeEnd != 7
        || (!isStderr && !ContainerStreams.isStdout(b, timeEnd + 1))) {
      return Result.NO_MATCH;
    }
    // The first tag decides; further tags (P:x) are for future use, per cri-api's LogTag.
    int t = streamEnd + 1;
    int tagsEnd = indexOf(b, t, e, (byte) ' ');
    tagsEnd = tagsEnd < 0 ? e : tagsEnd;
    boolean partial = t < e && b[t] == 'P';
    if (t == tagsEnd || (b[t] != 'P' && b[t] != 'F') || (t + 1 < tagsEnd && b[t + 1] != ':')
        || !Times.rfc3339(b, s, timeEnd, r)) { // the time last: a line that does not match keeps none
      return Result.NO_MATCH;
    }
    int content = Math.min(tagsEnd + 1, e);
    PartialBuffer parts = isStderr ? stderr : stdout;
    String stream = isStderr ? ContainerStreams.STDERR : ContainerStreams.STDOUT;
    if (!partial && parts.isEmpty()) {
      r.text(Fields.STREAM, timeEnd + 1, streamEnd);
      r.message(content, e);
      return Result.EVENT;
    }
    if (parts.isEmpty()) {
      parts.time(r.timeSeconds(), r.timeNanos());
    }
    parts.append(b, content, e);
    if (!partial) {
      ContainerStreams.emit(r, parts, stream, false);
      return Result.EVENT;
    }
    if (parts.length() >= maxMergedBytes) {
      ContainerStreams.emit(r, parts, stream, true);
      return Result.EVENT;
    }
    return Result.PENDING;
  }

  /** Emits one stream's held parts, stdout's first; call again until it answers false. */
  @Override
  public boolean holdsParts() {
    return !stdout.isEmpty() || !stderr.isEmpty();
  }

  @Override
  public boolean flush(LogRecord r) {
    return ContainerStreams.flush(r, stdout, stderr);
  }

  private static int indexOf(byte[] b, int p, int e, byte c) {
    for (; p < e; p++) {
      if (b[p] == c) {
        return p;
      }
    }
    return -1;
  }
}
