package dev.podkit.initwaiter;

/** TEMPORARY placeholder until the real probe lands. */
final class PostgresProbe implements Probe {
  PostgresProbe(String host, int port, String user, String password, String database) {}

  @Override
  public ProbeResult check(java.time.Duration timeout) {
    return ProbeResult.notReady("not implemented");
  }
}
