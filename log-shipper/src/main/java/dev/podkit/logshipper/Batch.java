package dev.podkit.logshipper;

import java.util.List;

/**
 * Events that go to a sink together. Immutable; a sink may send it again as often as it must.
 *
 * @param events the events, in the order they were read
 * @param bytes the sum of the events' message lengths
 */
public record Batch(List<Event> events, long bytes) {
  /**
   * Heap bytes an event holds besides its message's bytes, with the 64-bit JVM's compressed
   * references: the Event object (12-byte header, a long, three references, a boolean: 40
   * after alignment), the message array's 16-byte header, and its slots in the two lists a
   * queued event sits in (4 each). The array's own alignment is added per message.
   */
  static final int EVENT_OVERHEAD = 40 + 16 + 8;

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

  /**
   * The heap this batch holds while it waits and is delivered, which is what the memory limit
   * bounds: the messages' bytes (rounded up to the JVM's eight-byte alignment) and the objects
   * around them. Lines of a few dozen bytes hold about twice their length.
   */
  public long heapBytes() {
    long n = 0;
    for (Event e : events) {
      n += (e.message().length + 7 & ~7) + EVENT_OVERHEAD;
    }
    return n;
  }
}
