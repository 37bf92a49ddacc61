package dev.podkit.logshipper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link CheckpointEvents} kept as short strings, so tests assert the exact sequence. */
final class RecordingCheckpointEvents implements CheckpointEvents {
  private final List<String> events = new ArrayList<>();

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  private synchronized void add(String event) {
    events.add(event);
  }

  @Override
  public void loaded(Path file, int files) {
    add("loaded " + files);
  }

  @Override
  public void discarded(Path file, Path keptAs, String reason) {
    add("discarded " + (keptAs == null ? "not kept" : "kept") + ": " + reason);
  }

  @Override
  public void saved(Path file, int files) {
    add("saved " + files);
  }

  @Override
  public void writeFailed(Path file, IOException error) {
    add("writeFailed " + error.getClass().getSimpleName());
  }
}
