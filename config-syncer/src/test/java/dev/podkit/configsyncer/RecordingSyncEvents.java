package dev.podkit.configsyncer;

import java.util.ArrayList;
import java.util.List;

/** {@link SyncEvents} kept as short strings, durations left out, so tests assert the exact sequence. */
final class RecordingSyncEvents implements SyncEvents {
  private final List<String> events = new ArrayList<>();

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized void clear() {
    events.clear();
  }

  private synchronized void add(String e) {
    events.add(e);
  }

  @Override
  public void unchanged(long nanos) {
    add("unchanged");
  }

  @Override
  public void published(String version, String folder, int files, long bytes, long nanos) {
    add("published " + version + " files=" + files);
  }

  @Override
  public void failed(SyncFailure.Reason reason, String message, long nanos) {
    add("failed " + reason.tag() + ": " + message);
  }

  @Override
  public void notified(String kind, String version) {
    add("notified " + kind + " " + version);
  }

  @Override
  public void notifyFailed(String kind, String version, String error, int attempt) {
    add("notifyFailed " + kind + " " + version + " #" + attempt);
  }
}
