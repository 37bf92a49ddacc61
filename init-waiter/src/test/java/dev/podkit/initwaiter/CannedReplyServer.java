package dev.podkit.initwaiter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP server that answers every connection with the same bytes, whatever the client
 * sends, then reads until the client closes: a stand-in for servers in states that are hard to
 * reach for real (loading, impostors, foreign protocols).
 */
final class CannedReplyServer implements AutoCloseable {
  private final ServerSocket socket;
  private final byte[] reply;

  CannedReplyServer(byte[] reply) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.reply = reply.clone();
    Thread.ofVirtual().name("canned-accept").start(this::serve);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (true) {
      try {
        Socket c = socket.accept();
        Thread.ofVirtual().name("canned-reply").start(() -> answer(c));
      } catch (IOException e) {
        return; // closed by close(): the only way out
      }
    }
  }

  private void answer(Socket c) {
    try (c) {
      c.setSoTimeout(10_000);
      c.getOutputStream().write(reply);
      c.getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The probe closed or reset the connection as soon as it had its answer: nothing to do.
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
