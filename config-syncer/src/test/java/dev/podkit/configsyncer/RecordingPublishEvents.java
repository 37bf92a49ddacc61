package dev.podkit.configsyncer;

import java.util.ArrayList;
import java.util.List;

/** {@link PublishEvents} kept as short strings, version names replaced by {@code <v>}, so tests assert the exact sequence. */
final class RecordingPublishEvents implements PublishEvents {
  private final List<String> events = new ArrayList<>();

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized void clear() {
    events.clear();
  }

  private synchronized void add(String event) {
    events.add(event.replaceAll("\\.\\.\\d{4}_[0-9_.]+", "<v>"));
  }

  @Override
  public void versionWritten(String version, int files) {
    add("versionWritten " + version + " " + files);
  }

  @Override
  public void swapped(String previous, String version) {
    add("swapped " + previous + " " + version);
  }

  @Override
  public void linkCreated(String name) {
    add("linkCreated " + name);
  }

  @Override
  public void linkRemoved(String name) {
    add("linkRemoved " + name);
  }

  @Override
  public void versionRemoved(String version) {
    add("versionRemoved " + version);
  }

  @Override
  public void leftoverRemoved(String name) {
    add("leftoverRemoved " + name);
  }
}
