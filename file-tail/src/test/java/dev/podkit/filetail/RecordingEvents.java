package dev.podkit.filetail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link TailEvents} kept as short strings, file keys left out, so tests assert the exact sequence. */
final class RecordingEvents implements TailEvents {
  private final List<String> events = new ArrayList<>();

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized long count(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).count();
  }

  private synchronized void add(String event) {
    events.add(event);
  }

  @Override
  public void opened(Path path, FileKey file, long offset) {
    add("opened " + offset);
  }

  @Override
  public void resumeRejected(Path path, Position saved, String reason) {
    add("resumeRejected: " + reason.replaceAll("\\d+:\\d+", "<key>"));
  }

  @Override
  public void rotated(Path path, FileKey from, FileKey to) {
    add("rotated");
  }

  @Override
  public void truncated(Path path, FileKey file, long offset) {
    add("truncated " + offset);
  }

  @Override
  public void fileGone(Path path, FileKey file) {
    add("gone");
  }

  @Override
  public void closed(Path path, FileKey file, long offset) {
    add("closed " + offset);
  }

  @Override
  public void lineCut(Path path, int flags) {
    add("lineCut " + LineFlags.describe(flags));
  }

  @Override
  public void bytesSkipped(Path path, long bytes) {
    add("skipped " + bytes);
  }

  @Override
  public void partialLineFlushed(Path path, int bytes) {
    add("partialLineFlushed " + bytes);
  }

  @Override
  public void readError(Path path, IOException error) {
    add("readError " + error.getClass().getSimpleName());
  }
}
