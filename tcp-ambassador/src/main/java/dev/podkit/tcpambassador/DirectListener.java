package dev.podkit.tcpambassador;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The listening socket of a plain-TCP route on epoll, registered on one event loop: accepts up to
 * {@link #ACCEPTS_PER_EVENT} connections a turn and hands each, with the client's address, to
 * {@code accepted}. When accepting fails for another reason than a client that gave up (out of
 * file descriptors, say), it stops for {@link #PAUSE_MILLIS} ms instead of spinning on the event
 * and reports it ({@link ProxyEvents#acceptFailed}).
 */
final class DirectListener implements EpollIoHandle {
  private static final int ACCEPTS_PER_EVENT = 64;
  private static final long PAUSE_MILLIS = 100;

  private final Route route;
  private final ProxyEvents events;
  private final Socket socket;
  private final IoEventLoop loop;
  private final BiConsumer<Socket, InetSocketAddress> accepted;
  private final InetSocketAddress bound;
  private final byte[] address = new byte[26]; // what accept4 fills in: a length byte, address, port
  private IoRegistration registration;

  private DirectListener(Route route, ProxyEvents events, Socket socket, IoEventLoop loop,
      BiConsumer<Socket, InetSocketAddress> accepted) {
    this.route = route;
    this.events = events;
    this.socket = socket;
    this.loop = loop;
    this.accepted = accepted;
    this.bound = socket.localAddress();
  }

  /** Starts listening on {@code socket} (bound) on {@code loop}; waits until it is registered. */
  static DirectListener start(Route route, ProxyEvents events, Socket socket, IoEventLoop loop,
      BiConsumer<Socket, InetSocketAddress> accepted) throws IOException {
    DirectListener l = new DirectListener(route, events, socket, loop, accepted);
    var registered = loop.submit(() -> {
      l.registration = loop.register(l).sync().getNow();
      EpollInterest.ask(l.registration, EpollInterest.EPOLLIN);
      return null;
    }).awaitUninterruptibly();
    if (!registered.isSuccess()) {
      socket.close();
      throw new IOException("cannot listen on " + route.name() + ": " + registered.cause().getMessage(), registered.cause());
    }
    return l;
  }

  /** The address it listens on (the real port when 0 was asked). */
  InetSocketAddress address() {
    return bound;
  }

  @Override
  public FileDescriptor fd() {
    return socket;
  }

  @Override
  public void handle(IoRegistration r, IoEvent event) {
    for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
      int fd;
      try {
        fd = socket.accept(address);
      } catch (IOException e) {
        if (e instanceof Errors.NativeIoException n && n.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE) {
          continue; // the client reset before it was accepted
        }
        pause(e);
        return;
      }
      if (fd == -1) {
        return; // none waiting
      }
      Socket s;
      try {
        s = new Socket(fd);
      } catch (RuntimeException e) {
        closeQuietly(new FileDescriptor(fd));
        continue;
      }
      accepted.accept(s, NativeInetAddress.address(address, 1, address[0]));
    }
  }

  private static void closeQuietly(FileDescriptor fd) {
    try {
      fd.close();
    } catch (IOException ignored) {
      // a descriptor that could not be made a socket: nothing else to do with it
    }
  }

  private void pause(IOException e) {
    if (registration == null || !socket.isOpen()) {
      return;
    }
    events.acceptFailed(route, e); // logged at most once every ten seconds, with how many were left out
    EpollInterest.ask(registration, 0);
    loop.schedule(() -> {
      if (registration != null && socket.isOpen()) {
        EpollInterest.ask(registration, EpollInterest.EPOLLIN);
      }
    }, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops listening: new connections are refused by the kernel. Waits until it is done. */
  void stop() {
    loop.submit(this::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.cancel();
      registration = null;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a listening socket fails only when it is closed already
    }
  }
}
