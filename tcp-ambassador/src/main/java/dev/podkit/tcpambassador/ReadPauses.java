package dev.podkit.tcpambassador;

import io.netty.channel.Channel;

/**
 * Backpressure of one connection (rule 1 of {@link Relay}): reading from a side stops while the
 * other side's write buffer is above its high water mark, and resumes when it drained below the
 * low one. Used on the relay's event loop only.
 */
final class ReadPauses {
  private final Route route;
  private final ProxyEvents events;
  private final boolean[] paused = new boolean[2];

  ReadPauses(Route route, ProxyEvents events) {
    this.route = route;
    this.events = events;
  }

  /** {@code to} was written what {@code reader} (on {@code readerChannel}) sent. */
  void wrote(Channel to, Side reader, Channel readerChannel) {
    if (!to.isWritable() && !paused[reader.ordinal()]) {
      paused[reader.ordinal()] = true;
      readerChannel.config().setAutoRead(false);
      events.readingPaused(route, reader);
    }
  }

  /** The writability of {@code writer} (null when not connected) changed; {@code reader} is the side that writes to it. */
  void writabilityChanged(Channel writer, Side reader, Channel readerChannel) {
    if (writer != null && writer.isWritable() && paused[reader.ordinal()]) {
      paused[reader.ordinal()] = false;
      if (readerChannel != null) {
        readerChannel.config().setAutoRead(true);
      }
      events.readingResumed(route, reader);
    }
  }
}
