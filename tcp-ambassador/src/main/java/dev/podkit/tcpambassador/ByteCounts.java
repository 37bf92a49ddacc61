package dev.podkit.tcpambassador;

/**
 * Bytes received from each side of one connection, and how many of them were reported to the
 * events: reported once per read batch rather than per message. Used on the relay's event loop only.
 */
final class ByteCounts {
  private final long[] received = new long[2];
  private final long[] reported = new long[2];

  void add(Side from, long bytes) {
    received[from.ordinal()] += bytes;
  }

  long received(Side from) {
    return received[from.ordinal()];
  }

  /** Reports to {@code events} what {@code from} sent since the last report. */
  void report(ProxyEvents events, Route route, Side from) {
    int i = from.ordinal();
    if (received[i] != reported[i]) {
      events.received(route, from, received[i] - reported[i]);
      reported[i] = received[i];
    }
  }
}
