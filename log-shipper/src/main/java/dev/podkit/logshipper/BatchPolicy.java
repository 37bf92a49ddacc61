package dev.podkit.logshipper;

import java.time.Duration;

/**
 * When the events read so far become a batch: at {@code maxEvents} events or {@code maxBytes}
 * bytes, or once the oldest has waited {@code linger}, or whenever the files have nothing more
 * for now (an idle shipper does not hold lines back).
 */
record BatchPolicy(int maxEvents, long maxBytes, Duration linger) {
  BatchPolicy {
    if (maxEvents < 1) throw new IllegalArgumentException("maxEvents < 1: " + maxEvents);
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
  }
}
