package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on a loopback address whose behaviour per connection is the test's own code
 * (echo, reply after the client's FIN, reset, stall...), each connection on a virtual thread.
 * {@link #close} stops accepting and closes every connection still open.
 */
public final class TcpServer implements AutoCloseable {
  /** What the server does with one accepted connection; the socket is closed afterwards. */
  public interface Handler {
    void handle(Socket socket) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  private TcpServer(ServerSocket server, Handler handler) {
    this.server = server;
    this.acceptor = Thread.ofVirtual().name("tcp-server-accept").start(() -> {
      while (!server.isClosed()) {
        Socket s;
        try {
          s = server.accept();
        } catch (IOException e) {
          return; // closed
        }
        accepted.incrementAndGet();
        open.add(s);
        Thread.ofVirtual().name("tcp-server-conn").start(() -> {
          try (s) {
            handler.handle(s);
          } catch (IOException | InterruptedException e) {
            // The client went away or the test closed the server: nothing to report.
          } finally {
            open.remove(s);
          }
        });
      }
    });
  }

  /** A server on 127.0.0.1 and a free port. */
  public static TcpServer start(Handler handler) {
    return start(InetAddress.getLoopbackAddress(), 0, handler);
  }

  /** A server on {@code address} (any 127.x.y.z works on Linux) and {@code port} (0: a free one). */
  public static TcpServer start(InetAddress address, int port, Handler handler) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(address, port), 100);
      return new TcpServer(s, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends back everything it reads, and its FIN after the client's. */
  public static Handler echo() {
    return s -> {
      s.getInputStream().transferTo(s.getOutputStream());
      s.shutdownOutput();
    };
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Connections open now. */
  public int open() {
    return open.size();
  }

  @Override
  public void close() {
    try {
      server.close();
      for (Socket s : open) {
        s.close();
      }
      acceptor.join(5000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
