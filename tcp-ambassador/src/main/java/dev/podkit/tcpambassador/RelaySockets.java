package dev.podkit.tcpambassador;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The sockets of proxied connections: how they are opened, and closed with a FIN or a reset.
 * Their options are set with as few system calls per connection as Linux allows (each one costs
 * about a microsecond on the connection path):
 *
 * <ul>
 *   <li>no byte is read until asked, half-closure is passed on, writes are bounded by the water
 *       marks: channel state, no system call;
 *   <li>TCP_NODELAY: Netty turns it on for every socket channel it makes, so it is not set again;
 *   <li>keepalive (SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT): on epoll, set once on
 *       the listening socket, whose options accepted sockets inherit on Linux (on NIO, on each
 *       accepted socket); on each upstream socket once its connection has lasted a second.
 * </ul>
 */
final class RelaySockets {
  static final int KEEPALIVE_INTERVAL_SECONDS = 15;
  static final int KEEPALIVE_PROBES = 4;
  // Linux's option numbers (the generic ones, which x86-64 and arm64 use); epoll is Linux only.
  private static final IntegerUnixChannelOption SO_KEEPALIVE = new IntegerUnixChannelOption("SO_KEEPALIVE", 1, 9);
  private static final IntegerUnixChannelOption TCP_KEEPIDLE = new IntegerUnixChannelOption("TCP_KEEPIDLE", 6, 4);
  private static final IntegerUnixChannelOption TCP_KEEPINTVL = new IntegerUnixChannelOption("TCP_KEEPINTVL", 6, 5);
  private static final IntegerUnixChannelOption TCP_KEEPCNT = new IntegerUnixChannelOption("TCP_KEEPCNT", 6, 6);

  private final EventLoops loops;
  private final WriteBufferWaterMark marks;
  private final int connectTimeoutMillis;
  private final int keepaliveIdleSeconds; // 0: keepalive off

  RelaySockets(EventLoops loops, RelayPolicy relay, Duration connectTimeout) {
    this.loops = loops;
    this.marks = new WriteBufferWaterMark(relay.writeBufferBytes() / 2, relay.writeBufferBytes());
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.keepaliveIdleSeconds = relay.keepaliveIdle().isPositive()
        ? (int) Math.min(Integer.MAX_VALUE, Math.max(1, relay.keepaliveIdle().toSeconds())) : 0;
  }

  /** Sets the listener's options and those of the connections it accepts on {@code b}. */
  void configure(ServerBootstrap b) {
    b.childOption(ChannelOption.AUTO_READ, false) // no byte is read before the upstream is there
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks);
    if (keepaliveIdleSeconds == 0) {
      return;
    }
    if (loops.epoll()) {
      b.option(SO_KEEPALIVE, 1).option(TCP_KEEPIDLE, keepaliveIdleSeconds)
          .option(TCP_KEEPINTVL, KEEPALIVE_INTERVAL_SECONDS).option(TCP_KEEPCNT, KEEPALIVE_PROBES);
    } else {
      b.childOption(ChannelOption.SO_KEEPALIVE, true); // the JDK has no idle time option on every platform
    }
  }

  /**
   * The keepalive options as set on the sockets of a {@link DirectRelay} (null when keepalive is
   * off): on its listening socket, and on each upstream socket once its connection has lasted a
   * second, as for channels.
   */
  Keepalive keepalive() {
    return keepaliveIdleSeconds == 0 ? null : new Keepalive(keepaliveIdleSeconds);
  }

  /** Keepalive with an idle time, on a socket of our own. */
  record Keepalive(int idleSeconds) {
    /** Turns keepalive on for {@code s} (a socket closed meanwhile is left alone). */
    void turnOn(Socket s) {
      if (s == null || !s.isOpen()) {
        return;
      }
      try {
        setKeepalive(s, idleSeconds);
      } catch (IOException e) {
        // reset meanwhile: the relay sees it on its next read or write
      }
    }
  }

  /**
   * A new non-blocking stream socket for {@code target}: IPv4 for an IPv4 address (the default
   * IPv6 socket would carry it mapped), else IPv6.
   */
  static Socket newStream(InetAddress target) throws IOException {
    return NativeSockets.stream(target instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
  }

  /** The listening socket of a {@link DirectRelay} route at {@code at} (dual-stack for the any address). */
  Socket newListener(InetSocketAddress at, int backlog) throws IOException {
    InetAddress a = at.getAddress();
    Socket s = a == null || a.isAnyLocalAddress() ? Socket.newSocketStream() : newStream(a);
    try {
      s.setReuseAddress(true);
      s.setTcpNoDelay(true); // accepted sockets inherit it on Linux
      if (keepaliveIdleSeconds > 0) {
        setKeepalive(s, keepaliveIdleSeconds);
      }
      s.bind(at);
      s.listen(backlog);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The four keepalive options on {@code s}, with {@code idleSeconds} of idle time. */
  private static void setKeepalive(Socket s, int idleSeconds) throws IOException {
    s.setKeepAlive(true);
    s.setIntOpt(TCP_KEEPIDLE.level(), TCP_KEEPIDLE.optname(), idleSeconds);
    s.setIntOpt(TCP_KEEPINTVL.level(), TCP_KEEPINTVL.optname(), KEEPALIVE_INTERVAL_SECONDS);
    s.setIntOpt(TCP_KEEPCNT.level(), TCP_KEEPCNT.optname(), KEEPALIVE_PROBES);
  }

  /** Netty's socket factory by address family (its constructor is protected). */
  private static final class NativeSockets extends Socket {
    private NativeSockets(int fd) {
      super(fd);
    }

    static Socket stream(SocketProtocolFamily family) throws IOException {
      int fd = newSocketStream0(family);
      if (fd < 0) {
        throw Errors.newIOException("socket", fd);
      }
      return new Socket(fd);
    }
  }

  /** A new upstream channel to connect to {@code address}, with its options set; not registered yet. */
  SocketChannel upstream(InetSocketAddress address) {
    SocketChannel ch = loops.newSocketChannel(address.getAddress());
    SocketChannelConfig c = ch.config();
    c.setAutoRead(false); // reading starts once the relay has both sides
    c.setAllowHalfClosure(true);
    c.setWriteBufferWaterMark(marks);
    c.setConnectTimeoutMillis(connectTimeoutMillis);
    return ch;
  }

  /**
   * What turns keepalive on for the connected upstream channel {@code ch} (null when it is off):
   * the relay runs it once the connection has lasted a second. Keepalive only matters for
   * connections that sit idle far longer than that, and most proxied connections end sooner:
   * they never pay its four system calls.
   */
  Runnable keepalive(Channel ch) {
    if (keepaliveIdleSeconds == 0) {
      return null;
    }
    return () -> {
      if (!ch.isActive()) {
        return;
      }
      SocketChannelConfig c = (SocketChannelConfig) ch.config();
      c.setKeepAlive(true);
      if (c instanceof EpollSocketChannelConfig e) {
        e.setTcpKeepIdle(keepaliveIdleSeconds).setTcpKeepIntvl(KEEPALIVE_INTERVAL_SECONDS).setTcpKeepCnt(KEEPALIVE_PROBES);
      }
    };
  }

  /**
   * Sends {@code c}'s FIN at once (shutdown(SHUT_WR)) on a native channel whose writes are all
   * flushed; returns false on NIO, where the caller uses {@code DuplexChannel.shutdownOutput()}.
   * Netty's shutdownOutput() builds an exception with its stack trace on every call (to fail the
   * writes still queued, of which there are none here): a few microseconds per connection.
   */
  static boolean sendFin(Channel c) throws IOException {
    if (c instanceof UnixChannel u && u.fd() instanceof Socket s) {
      s.shutdown(false, true);
      return true;
    }
    return false;
  }

  /** Closes {@code c} after what is queued for it is written: its FIN comes with the close. */
  static void closeAfterFlush(Channel c) {
    if (((DuplexChannel) c).isOutputShutdown()) {
      // Its FIN was sent, so everything before it was written: a write now would only fail
      // (an exception built with its stack trace, once per connection).
      c.close();
      return;
    }
    c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes the socket {@code s} with a reset (RST) instead of a FIN. */
  static void abort(Socket s) {
    try {
      s.setSoLinger(0);
    } catch (IOException ignored) {
      // reset already: closing is all that is left
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing more can be done with a socket that does not close
    }
  }

  /** Closes {@code c} with a reset (RST) instead of a FIN. */
  static void abort(Channel c) {
    if (c != null && c.isOpen()) {
      if (c.isActive()) {
        c.config().setOption(ChannelOption.SO_LINGER, 0);
      }
      c.close();
    }
  }
}
