package dev.podkit.initwaiter;

import java.time.Duration;

/**
 * Ready when a TCP connection to {@code host:port} is accepted. The name is resolved on every
 * attempt and each resolved address is tried in turn ({@link Dialer}), so a Service that appears
 * late or moves is followed. The socket is closed at once.
 */
final class TcpProbe implements Probe {
  private final String host;
  private final int port;

  TcpProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public ProbeResult check(Duration timeout) throws InterruptedException {
    return Dialer.dial(host, port, timeout, (socket, deadline) ->
        ProbeResult.ready("connected to " + socket.getInetAddress().getHostAddress() + ":" + port));
  }
}
