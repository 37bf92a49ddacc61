package dev.podkit.initwaiter;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.time.Duration;

/**
 * The connecting half every socket probe shares: resolve the name afresh, try each address in
 * turn with the attempt's timeout, and hold the first connected socket's conversation; the socket
 * is always closed. Failures become the attempt's reason: the last address's, for connect and
 * I/O errors; at once, for a reply that breaks the protocol.
 */
final class Dialer {
  /** What a probe says on a connected socket, within {@code deadlineNanos} (System.nanoTime). */
  interface Conversation {
    ProbeResult talk(Socket socket, long deadlineNanos) throws IOException;
  }

  private Dialer() {}

  static ProbeResult dial(String host, int port, Duration timeout, Conversation conversation)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (IOException e) {
      return ProbeResult.notReady(NetErrors.describe(e));
    }
    String last = "no address";
    for (InetAddress a : addresses) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a, port), (int) Math.max(1, timeout.toMillis()));
        return conversation.talk(s, deadline);
      } catch (ProtocolException e) {
        return ProbeResult.notReady(e.getMessage());
      } catch (EOFException e) {
        return ProbeResult.notReady("server closed the connection");
      } catch (IOException e) {
        last = NetErrors.describe(e);
      }
    }
    return ProbeResult.notReady(last);
  }
}
