package dev.podkit.filetail;

import java.nio.file.Path;

/**
 * The line sink a {@link FileFollower}'s framer delivers to: passes every line on to the
 * follower's own sink and reports the long ones (cut or truncated, once per line) and the bytes
 * skipped of them to its {@link TailEvents}.
 */
final class ReportingSink implements LineSink {
  private final Path path;
  private final TailEvents events;
  private final LineSink sink;

  ReportingSink(Path path, TailEvents events, LineSink sink) {
    this.path = path;
    this.events = events;
    this.sink = sink;
  }

  @Override
  public void line(byte[] buf, int start, int end, int flags) {
    if ((flags & (LineFlags.CUT | LineFlags.TRUNCATED)) != 0 && (flags & LineFlags.CONTINUED) == 0) {
      events.lineCut(path, flags);
    }
    sink.line(buf, start, end, flags);
  }

  @Override
  public void skipped(long bytes) {
    events.bytesSkipped(path, bytes);
    sink.skipped(bytes);
  }

  @Override
  public boolean takesBlocks() {
    return sink.takesBlocks();
  }

  @Override
  public boolean keepsCr() {
    return sink.keepsCr();
  }

  @Override
  public int lines(byte[] buf, int start, int end, int maxLineBytes) {
    return sink.lines(buf, start, end, maxLineBytes); // whole short lines: nothing to report
  }
}
