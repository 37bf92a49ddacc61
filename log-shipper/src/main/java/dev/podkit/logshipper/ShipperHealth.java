package dev.podkit.logshipper;

import dev.podkit.runtime.Health;

/**
 * The shipper's health as the admin endpoint reads it: started once the first scan found its
 * files (a native sidecar's startupProbe then lets the app start), ready while the sink delivers
 * and the lag behind the files stays under its limit, and not ready while shutting down.
 */
final class ShipperHealth extends Health {
  private final Tailer tailer;
  private final Sink sink;
  private final long maxLagBytes;

  ShipperHealth(Tailer tailer, Sink sink, long maxLagBytes) {
    this.tailer = tailer;
    this.sink = sink;
    this.maxLagBytes = maxLagBytes;
  }

  @Override
  public String startupzProblem() {
    return tailer.scannedOnce() ? null : "tailing has not begun";
  }

  @Override
  public String readyzProblem() {
    String set = super.readyzProblem();
    if (set != null) {
      return set;
    }
    if (!sink.healthy()) {
      return "sink failing";
    }
    long lag = tailer.lagBytes();
    return lag > maxLagBytes ? "lag " + lag + " bytes behind the files" : null;
  }
}
