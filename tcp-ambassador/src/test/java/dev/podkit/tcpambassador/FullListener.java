package dev.podkit.tcpambassador;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback listener whose accept queue is full: the kernel drops further SYNs, so a connect to
 * it hangs until its timeout (an upstream that never answers, without leaving loopback).
 */
final class FullListener implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> fillers = new ArrayList<>();

  private FullListener(ServerSocket socket) {
    this.socket = socket;
  }

  static FullListener open() {
    try {
      FullListener l = new FullListener(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      for (int i = 0; i < 3; i++) {
        Socket f = new Socket();
        try {
          f.connect(l.socket.getLocalSocketAddress(), 200);
        } catch (IOException e) {
          // the queue is full already
        }
        l.fillers.add(f);
      }
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (Socket f : fillers) {
      f.close();
    }
    socket.close();
  }
}
