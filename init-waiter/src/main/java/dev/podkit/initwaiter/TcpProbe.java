package dev.podkit.initwaiter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Ready when a TCP connection to {@code host:port} is accepted. The name is resolved on every
 * attempt and each resolved address is tried in turn, so a Service that appears late or moves is
 * followed. The socket is always closed.
 */
final class TcpProbe implements Probe {
  private final String host;
  private final int port;

  TcpProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public ProbeResult check(Duration timeout) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (IOException e) {
      return ProbeResult.notReady(NetErrors.describe(e));
    }
    String last = "no address";
    for (InetAddress a : addresses) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a, port), (int) Math.max(1, timeout.toMillis()));
        return ProbeResult.ready("connected to " + a.getHostAddress() + ":" + port);
      } catch (IOException e) {
        last = NetErrors.describe(e);
      }
    }
    return ProbeResult.notReady(last);
  }
}
