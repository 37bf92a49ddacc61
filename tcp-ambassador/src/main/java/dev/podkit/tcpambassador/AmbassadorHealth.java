package dev.podkit.tcpambassador;

import dev.podkit.runtime.Health;
import java.util.function.BooleanSupplier;

/**
 * The ambassador's health: started and ready once every listener is bound; not ready while
 * --max-connections connections are open (so a Service sends new clients elsewhere) and once
 * SIGTERM arrived.
 */
final class AmbassadorHealth extends Health {
  private final BooleanSupplier full;
  private final int maxConnections;

  AmbassadorHealth(BooleanSupplier full, int maxConnections) {
    this.full = full;
    this.maxConnections = maxConnections;
  }

  @Override
  public String readyzProblem() {
    String set = super.readyzProblem();
    if (set != null) {
      return set;
    }
    return full.getAsBoolean() ? "full: " + maxConnections + " connections open (--max-connections)" : null;
  }
}
