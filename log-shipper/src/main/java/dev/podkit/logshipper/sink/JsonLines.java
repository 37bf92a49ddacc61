package dev.podkit.logshipper.sink;

import dev.podkit.filetail.LineFlags;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.LineTail;

/**
 * Writes lines as NDJSON, the objects of {@link EventJson} one a line, for stdout's JSON mode
 * and the HTTP sink. Whole lines go through {@link JsonOut#lines}, which frames and escapes in
 * one pass; what follows each message is the same for every line of a file read in one round
 * (time, path, metadata), so it is written once per file and round and copied after each line.
 */
final class JsonLines extends CountingEncoder {
  private final EventJson json;
  private final After after = new After();
  private final JsonOut scratch = new JsonOut();
  /** Whose rest of the line {@code after} holds now. */
  private String afterPath;
  private long afterNanos;

  JsonLines(Metadata metadata) {
    this.json = new EventJson(metadata);
  }

  @Override
  public int lines(byte[] src, int start, int end, int maxLineBytes, String path, long readNanos, JsonOut out) {
    if (!path.equals(afterPath) || readNanos != afterNanos) { // afterPath is null until the first tail is made
      scratch.clear();
      json.afterMessage(readNanos, path, null, false, scratch);
      scratch.raw('\n');
      after.tail = new LineTail(scratch.toBytes());
      afterPath = path;
      afterNanos = readNanos;
    }
    return out.lines(src, start, end, EventJson.OPEN, maxLineBytes, after);
  }

  @Override
  public void line(byte[] src, int start, int end, String path, long readNanos, int flags, JsonOut out) {
    boolean truncated = (flags & (LineFlags.CUT | LineFlags.TRUNCATED)) != 0;
    json.write(src, start, end, readNanos, path, null, truncated, out);
    out.raw('\n');
    counted(end - start);
  }

  /**
   * Ends each line {@link JsonOut#lines} writes, and counts it: in the loop every byte goes
   * through, so it counts into the fields itself rather than through a call.
   */
  private final class After implements JsonOut.LineEnd {
    /** The rest of the line after the message, newline included. */
    LineTail tail;

    @Override
    public LineTail after(byte[] src, int start, int end) {
      lines++;
      bytes += end - start;
      return tail;
    }
  }
}
