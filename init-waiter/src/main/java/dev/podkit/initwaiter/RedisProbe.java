package dev.podkit.initwaiter;

/** TEMPORARY placeholder until the real probe lands. */
final class RedisProbe implements Probe {
  RedisProbe(String host, int port, String user, String password) {}

  @Override
  public ProbeResult check(java.time.Duration timeout) {
    return ProbeResult.notReady("not implemented");
  }
}
