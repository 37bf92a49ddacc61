package dev.podkit.tcpambassador;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and channel types of one transport: native epoll on Linux (edge-triggered,
 * fewer copies and system calls), or Java NIO where epoll does not load. The relay loops both
 * accept and move bytes (a client connection and its upstream connection share one loop).
 */
final class EventLoops implements AutoCloseable {
  private final boolean epoll;
  private final EventLoopGroup workers;

  private EventLoops(boolean epoll, int threads) {
    this.epoll = epoll;
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("relay", true), io);
  }

  /**
   * Loops of {@code transport} with {@code threads} workers; {@code AUTO} takes epoll when its
   * native library loads. Throws when epoll is demanded and does not load.
   */
  static EventLoops create(AmbassadorConfig.Transport transport, int threads) {
    boolean useEpoll = switch (transport) {
      case EPOLL -> {
        Epoll.ensureAvailability();
        yield true;
      }
      case NIO -> false;
      case AUTO -> Epoll.isAvailable();
    };
    return new EventLoops(useEpoll, threads);
  }

  boolean epoll() { return epoll; }
  EventLoopGroup workers() { return workers; }

  /** The next loop in turn (each loop is an {@link IoEventLoop}: sockets of our own register on it). */
  IoEventLoop nextLoop() {
    return (IoEventLoop) workers.next();
  }

  Class<? extends SocketChannel> socketChannel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * A new, unregistered socket channel to connect to {@code target}: an IPv4 socket for an IPv4
   * address (the default IPv6 socket would carry it mapped, and cost one more system call).
   */
  SocketChannel newSocketChannel(InetAddress target) {
    SocketProtocolFamily family = family(target);
    return epoll ? new EpollSocketChannel(family) : new NioSocketChannel(SelectorProvider.provider(), family);
  }

  /** A new, unregistered listening channel for {@code at} (IPv4 for an IPv4 address, else dual-stack). */
  ServerChannel newServerChannel(InetAddress at) {
    if (at == null || at.isAnyLocalAddress()) {
      return epoll ? new EpollServerSocketChannel() : new NioServerSocketChannel();
    }
    SocketProtocolFamily family = family(at);
    return epoll ? new EpollServerSocketChannel(family) : new NioServerSocketChannel(SelectorProvider.provider(), family);
  }

  private static SocketProtocolFamily family(InetAddress a) {
    return a instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
  }

  Class<? extends DatagramChannel> datagramChannel() {
    return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  /** Stops the loops, waiting at most {@code timeout}. */
  void shutdown(Duration timeout) {
    workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout.toMillis());
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(2));
  }
}
