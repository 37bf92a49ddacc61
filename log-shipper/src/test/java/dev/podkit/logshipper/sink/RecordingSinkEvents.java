package dev.podkit.logshipper.sink;

import dev.podkit.logshipper.SinkEvents;
import java.util.ArrayList;
import java.util.List;

/** Records what a sink reports, as text ("delivered 3", "retried status 503", "rejected 1 status 400"). */
final class RecordingSinkEvents implements SinkEvents {
  private final List<String> events = new ArrayList<>();
  private long deliveredBytes;
  private long invalidUtf8;

  @Override
  public synchronized void delivered(int events, long bytes, long nanos) {
    this.events.add("delivered " + events);
    deliveredBytes += bytes;
  }

  @Override
  public synchronized void retried(String reason) {
    events.add("retried " + reason);
  }

  @Override
  public synchronized void rejected(int events, String reason) {
    this.events.add("rejected " + events + " " + reason);
  }

  @Override
  public synchronized void invalidUtf8(long sequences) {
    invalidUtf8 += sequences;
  }

  /** Invalid UTF-8 sequences the sink reported replacing. */
  synchronized long invalidUtf8() {
    return invalidUtf8;
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized long deliveredBytes() {
    return deliveredBytes;
  }
}
