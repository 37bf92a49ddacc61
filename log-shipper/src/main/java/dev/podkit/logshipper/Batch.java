package dev.podkit.logshipper;

import java.util.List;

/**
 * Events that go to a sink together. Immutable; a sink may send it again as often as it must.
 *
 * @param events the events, in the order they were read
 * @param bytes the sum of the events' message lengths
 */
public record Batch(List<Event> events, long bytes) {
  public Batch {
    events = List.copyOf(events);
  }

  public static Batch of(List<Event> events) {
    long n = 0;
    for (Event e : events) {
      n += e.message().length;
    }
    return new Batch(events, n);
  }
}
