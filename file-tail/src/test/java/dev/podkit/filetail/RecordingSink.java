package dev.podkit.filetail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link LineSink} that keeps every line as text, with its flags when it has any. */
final class RecordingSink implements LineSink {
  final List<String> lines = new ArrayList<>();
  final List<byte[]> buffers = new ArrayList<>();
  long skipped;

  @Override
  public synchronized void line(byte[] buf, int start, int end, int flags) {
    String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
    lines.add(flags == 0 ? text : text + " [" + LineFlags.describe(flags) + "]");
    buffers.add(buf);
  }

  @Override
  public synchronized void skipped(long bytes) {
    skipped += bytes;
    lines.add("(skipped " + bytes + ")");
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized int size() {
    return lines.size();
  }
}
