package dev.podkit.logshipper;

import dev.podkit.runtime.JsonOut;
import java.util.List;

/**
 * Lines that go to a sink together: as events, or already written in the sink's wire form (a
 * {@link Body}, from the sink's {@link LineEncoder}), never both. Not changed once made; a sink
 * may send it again as often as it must.
 *
 * @param events the events, in the order they were read; empty when the batch has a body
 * @param bytes the sum of the lines' message lengths
 * @param body the lines as the sink sends them, or null when they are events
 */
public record Batch(List<Event> events, long bytes, Body body) {
  /**
   * Heap bytes an event holds besides its message's bytes, with the 64-bit JVM's compressed
   * references: the Event object (12-byte header, a long, three references, a boolean: 40
   * after alignment), the message array's 16-byte header, and its slots in the two lists a
   * queued event sits in (4 each). The array's own alignment is added per message.
   */
  static final int EVENT_OVERHEAD = 40 + 16 + 8;

  /**
   * Lines written by a {@link LineEncoder}: {@code out}'s bytes, {@code lines} of them holding
   * {@code bytes} message bytes. The buffer is not written to again while the batch is in use.
   */
  public record Body(JsonOut out, int lines, long bytes) {}

  public Batch {
    events = List.copyOf(events);
    if (body != null && !events.isEmpty()) throw new IllegalArgumentException("events and a body");
  }

  public Batch(List<Event> events, long bytes) {
    this(events, bytes, null);
  }

  public static Batch of(List<Event> events) {
    long n = 0;
    for (Event e : events) {
      n += e.message().length;
    }
    return new Batch(events, n);
  }

  /** A batch of lines already in the sink's wire form. */
  public static Batch encoded(Body body) {
    return new Batch(List.of(), body.bytes(), body);
  }

  /** How many lines (events) the batch holds. */
  public int lines() {
    return body == null ? events.size() : body.lines();
  }

  /**
   * The heap this batch holds while it waits and is delivered, which is what the memory limit
   * bounds: a body's whole buffer, or the messages' bytes (rounded up to the JVM's eight-byte
   * alignment) and the objects around them; lines of a few dozen bytes hold about twice their
   * length as events.
   */
  public long heapBytes() {
    if (body != null) {
      return body.out().buffer().length + 16L;
    }
    long n = 0;
    for (Event e : events) {
      n += (e.message().length + 7 & ~7) + EVENT_OVERHEAD;
    }
    return n;
  }
}
