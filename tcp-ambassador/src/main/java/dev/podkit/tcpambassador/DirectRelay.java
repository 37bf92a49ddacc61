package dev.podkit.tcpambassador;

import static dev.podkit.tcpambassador.EpollInterest.EPOLLERR;
import static dev.podkit.tcpambassador.EpollInterest.EPOLLHUP;
import static dev.podkit.tcpambassador.EpollInterest.EPOLLIN;
import static dev.podkit.tcpambassador.EpollInterest.EPOLLOUT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.TimeUnit;

/**
 * One proxied plain-TCP connection on the epoll transport, owning its two sockets: they are
 * registered on the event loop as {@link EpollIoHandle}s, and bytes go from one socket to the
 * other through one buffer per event loop. A Netty channel per socket costs about a dozen system
 * calls more per connection (address look-ups, option reads, interest changes) and a pipeline;
 * this relay makes only the calls the connection needs (bench/tcp-ambassador/tuning.md).
 *
 * <p>The rules are those of the channel {@link Relay}:
 *
 * <ol>
 *   <li>bytes read from one side are sent to the other at once; what the other side's socket does
 *       not take is held (at most one read: 64 KiB, or --write-buffer-bytes if less) and reading
 *       from this side pauses until it is sent, so memory per connection stays bounded, and an
 *       idle connection holds no buffer;
 *   <li>a FIN from one side is passed on (shutdown(SHUT_WR)) once what it sent is written, and the
 *       other direction goes on: the reply after a half-close arrives;
 *   <li>when both sides sent their FIN and both were passed on, both sockets close;
 *   <li>a reset or error on one side resets the other (SO_LINGER 0), so a failure is not mistaken
 *       for a clean end;
 *   <li>with no byte either way for the idle timeout (the half-close timeout once half-closed,
 *       see {@link RelayTimeouts}), both close.
 * </ol>
 *
 * <p>Interest is level-triggered: a side is polled for reading while it may be read and for
 * writing while bytes are held for it, and an error or hang-up is reported either way. Everything
 * runs on the connection's event loop, so the state needs no locks.
 */
final class DirectRelay implements Connection {
  /** Bytes read in one call at most (so also what may be held for a side that does not take them). */
  static final int READ_BYTES = 64 << 10;
  /** Reads from one side per event before the loop serves others (as Netty's channels do). */
  private static final int READS_PER_EVENT = 16;
  private static final FastThreadLocal<ByteBuf> READ_BUFFER = new FastThreadLocal<>() {
    @Override
    protected ByteBuf initialValue() {
      return ByteBufAllocator.DEFAULT.directBuffer(READ_BYTES, READ_BYTES);
    }

    @Override
    protected void onRemoval(ByteBuf b) {
      b.release();
    }
  };

  private final Route route;
  private final ProxyEvents events;
  private final IoEventLoop loop;
  private final Runnable onFinish;
  private final long connectTimeoutNanos;
  private final int readBytes; // at most --write-buffer-bytes: what a side that does not take it may hold
  private final boolean splice;
  private final RelaySockets.Keepalive keepalive;
  private final long startNanos = System.nanoTime();
  private final Peer down;
  private final Peer up = new Peer(Side.UPSTREAM);
  private final ByteCounts bytes = new ByteCounts();
  private final RelayTimeouts timeouts;
  private final SocketAddress client;

  private UpstreamConnector.Attempt attempt; // the attempt under way, or the one that connected
  private ScheduledFuture<?> connectTimer;
  private InetSocketAddress upstreamAddress; // once connected: from then on, bytes are relayed
  private boolean connecting;
  private int attempts;
  private boolean closing;
  private boolean finished;
  private End end;

  DirectRelay(Route route, RelayPolicy policy, ConnectPolicy connect, RelaySockets.Keepalive keepalive,
      ProxyEvents events, IoEventLoop loop, Socket accepted, SocketAddress client, Runnable onFinish) {
    this.route = route;
    this.events = events;
    this.loop = loop;
    this.onFinish = onFinish;
    this.keepalive = keepalive;
    this.client = client;
    this.connectTimeoutNanos = connect.connectTimeout().toNanos();
    this.readBytes = Math.min(READ_BYTES, policy.writeBufferBytes());
    this.splice = policy.splice();
    this.down = new Peer(Side.DOWNSTREAM);
    this.down.socket = accepted;
    this.timeouts = new RelayTimeouts(policy, loop, this::close);
  }

  @Override
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void startConnecting() {
    connecting = true;
  }

  @Override
  public boolean clientGone() {
    return closing;
  }

  @Override
  public void attempt() {
    attempts++;
  }

  /** One connection attempt to {@code address} (the {@link UpstreamConnector}'s dialer). */
  void dial(InetSocketAddress address, UpstreamConnector.Attempt a) {
    attempt = a;
    boolean done;
    try {
      up.socket = RelaySockets.newStream(address.getAddress());
      up.socket.setTcpNoDelay(true);
      up.register();
      done = up.socket.connect(address);
    } catch (IOException | RuntimeException e) {
      dialFailed(e, false);
      return;
    }
    if (done) {
      upstreamConnected();
    } else {
      up.interest(EPOLLOUT);
      connectTimer = loop.schedule(() -> dialFailed(
          new ConnectTimeoutException("connection timed out after " + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos)
              + " ms: " + address), true), connectTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void finishConnect() {
    try {
      if (!up.socket.finishConnect()) {
        return; // still in progress
      }
    } catch (IOException | RuntimeException e) {
      dialFailed(e, false);
      return;
    }
    upstreamConnected();
  }

  private void dialFailed(Throwable cause, boolean timeout) {
    cancelConnectTimer();
    up.closeSocket(false);
    up.socket = null;
    if (closing) {
      upstreamAbandoned();
      return;
    }
    attempt.failed(cause, timeout);
  }

  private void cancelConnectTimer() {
    if (connectTimer != null) {
      connectTimer.cancel(false);
      connectTimer = null;
    }
  }

  private void upstreamConnected() {
    cancelConnectTimer();
    connecting = false;
    upstreamAddress = attempt.address();
    attempt.connected();
    HAProxyMessage header = route.proxyProtocol() == Route.ProxyProtocol.OFF ? null
        : attempt.proxyHeader(client, down.socket.localAddress()); // (its look-up is a system call)
    try {
      down.register();
      if (header != null) {
        // Sent before anything the client sends: reading from the client waits until it is.
        up.held = ByteBufAllocator.DEFAULT.directBuffer().writeBytes(ProxyHeaders.encode(header));
        down.paused = true;
        flush(up);
      }
    } catch (IOException | RuntimeException e) {
      failed(Side.UPSTREAM, e);
      return;
    }
    if (closing) {
      return;
    }
    down.updateInterest();
    up.updateInterest();
    timeouts.start(keepalive == null ? null : () -> keepalive.turnOn(up.socket));
  }

  @Override
  public void upstreamFailed(End why) {
    end(why);
    connecting = false;
    down.closeSocket(true);
    finishIfDone();
  }

  @Override
  public void upstreamAbandoned() {
    connecting = false;
    finishIfDone();
  }

  // (1) Bytes from one side to the other.
  private void read(Peer from) {
    long before = bytes.received(from.side);
    if (from.splicing) {
      spliceRead(from);
    } else {
      copyRead(from);
    }
    if (bytes.received(from.side) != before) {
      bytes.report(events, route, from.side);
      timeouts.activity();
    }
    from.updateInterest();
  }

  /** Reads into the loop's buffer and sends on from there. */
  private void copyRead(Peer from) {
    ByteBuf buf = READ_BUFFER.get();
    ByteBuffer nio = buf.internalNioBuffer(0, readBytes);
    int base = nio.position();
    for (int i = 0; i < READS_PER_EVENT && !from.paused; i++) {
      int n;
      try {
        n = from.socket.recv(nio, base, base + readBytes);
      } catch (IOException | NotYetConnectedException e) {
        failed(from.side, e);
        return;
      }
      if (n == 0) {
        return; // nothing more now
      }
      if (n < 0) {
        inputShutdown(from);
        return;
      }
      if (!sendCopy(from, buf, nio, base, n)) {
        return;
      }
      if (n < readBytes) {
        return; // the socket is most likely empty: the next event says when it is not
      }
      // A full buffer: bulk. From the next event on, this direction is spliced.
      from.splicing = splice;
    }
  }

  /**
   * Sends the {@code n} bytes read from {@code from} (in the loop's buffer) to the other side;
   * what it does not take is held and reading from {@code from} pauses. Returns whether all of
   * them went (false also when the connection failed).
   */
  private boolean sendCopy(Peer from, ByteBuf buf, ByteBuffer nio, int base, int n) {
    Peer to = from.other();
    bytes.add(from.side, n);
    int sent;
    try {
      sent = send(to.socket, nio, base, base + n);
    } catch (IOException | NotYetConnectedException e) {
      failed(to.side, e);
      return false;
    }
    if (sent == n) {
      return true;
    }
    to.held = ByteBufAllocator.DEFAULT.directBuffer(n - sent).writeBytes(buf, sent, n - sent);
    pause(from);
    return false;
  }

  /** Sends bytes {@code from} to {@code to} of {@code nio} until all went or {@code s} is full; returns how many went. */
  private static int send(Socket s, ByteBuffer nio, int from, int to) throws IOException {
    int sent = 0;
    while (from + sent < to) {
      int w = s.send(nio, from + sent, to);
      if (w == 0) {
        break;
      }
      sent += w;
    }
    return sent;
  }

  /**
   * Moves bytes with splice(2): from the socket into a pipe and from the pipe into the other
   * socket, never through user space. What the other socket does not take stays in the pipe
   * (at most one read) and reading pauses. Netty's splice returns 0 both for "nothing now" and
   * for the end of the stream, so an event whose first splice moves nothing asks recv, which
   * tells the two apart.
   */
  private void spliceRead(Peer from) {
    Peer to = from.other();
    Pipes.Pipe pipe;
    try {
      pipe = Pipes.acquire();
    } catch (IOException e) {
      from.splicing = false; // out of descriptors, say: copy instead
      copyRead(from);
      return;
    }
    try {
      for (int i = 0; i < READS_PER_EVENT && !from.paused; i++) {
        int n;
        try {
          n = Native.splice(from.socket.intValue(), -1, pipe.in().intValue(), -1, readBytes);
        } catch (IOException e) {
          failed(from.side, e);
          return;
        }
        if (n == 0) {
          if (i == 0) {
            copyRead(from); // the end of the stream, an error, or a byte that came meanwhile
          }
          return;
        }
        bytes.add(from.side, n);
        int left;
        try {
          left = n - Pipes.drain(pipe, to.socket, n);
        } catch (IOException e) {
          failed(to.side, e);
          return;
        }
        if (left > 0) {
          to.pipe = pipe;
          to.piped = left;
          pipe = null;
          pause(from);
          return;
        }
        if (n < readBytes) {
          return;
        }
      }
    } finally {
      if (pipe != null) {
        Pipes.release(pipe, true);
      }
    }
  }

  private void pause(Peer from) {
    from.paused = true;
    from.pauseReported = true;
    events.readingPaused(route, from.side);
    from.other().updateInterest();
  }

  /** Sends what is held for {@code to}; once all is sent, reading from the other side resumes. */
  private void flush(Peer to) throws IOException {
    if (to.held != null) {
      ByteBuf b = to.held;
      ByteBuffer nio = b.internalNioBuffer(b.readerIndex(), b.readableBytes());
      b.skipBytes(send(to.socket, nio, nio.position(), nio.limit()));
      if (b.isReadable()) {
        return; // the rest when the socket is writable
      }
      b.release();
      to.held = null;
    }
    if (to.pipe != null) {
      to.piped -= Pipes.drain(to.pipe, to.socket, to.piped);
      if (to.piped > 0) {
        return;
      }
      Pipes.release(to.pipe, true);
      to.pipe = null;
    }
    timeouts.activity();
    Peer from = to.other();
    if (from.paused) {
      from.paused = false;
      if (from.pauseReported) {
        from.pauseReported = false;
        events.readingResumed(route, from.side);
      }
      from.updateInterest();
    }
    if (to.finPending) {
      sendFin(to);
    }
  }

  // (2) and (3) A FIN from one side.
  private void inputShutdown(Peer from) {
    from.inputShut = true;
    timeouts.halfClosed();
    Peer to = from.other();
    if (to.holds()) {
      to.finPending = true; // after what is held for it
    } else {
      sendFin(to);
    }
  }

  private void sendFin(Peer to) {
    to.finPending = false;
    try {
      to.socket.shutdown(false, true);
    } catch (IOException | NotYetConnectedException e) {
      failed(to.side, e); // reset meanwhile
      return;
    }
    to.finSent = true;
    if (down.inputShut && up.inputShut && down.finSent && up.finSent) {
      close(End.CLOSED);
    }
  }

  // (4) Errors and resets.
  private void failed(Side side, Throwable cause) {
    end(End.ofFailure(side, cause));
    closing = true;
    Peer failed = side == Side.DOWNSTREAM ? down : up;
    failed.other().closeSocket(true);
    failed.closeSocket(false);
    finishIfDone();
  }

  /** An event on {@code p}'s socket. */
  private void handle(Peer p, int ops) {
    if (p.socket == null || finished) {
      return;
    }
    if (p.side == Side.UPSTREAM && connecting) {
      finishConnect();
      return;
    }
    if (upstreamAddress == null) {
      return; // the client is not read before its upstream is connected
    }
    if (p.holds() && (ops & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) {
      try {
        flush(p);
      } catch (IOException | NotYetConnectedException e) {
        failed(p.side, e);
        return;
      }
      p.updateInterest();
      if (closing) {
        return;
      }
    }
    if (p.readable() && (ops & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
      read(p);
    } else if ((ops & (EPOLLERR | EPOLLHUP)) != 0 && !closing) {
      // Not read from now (paused, or its FIN seen): an error ends the connection. A hang-up
      // without one is both FINs crossed on this socket while what it sent waits to be read:
      // that is read once reading resumes.
      int error;
      try {
        error = p.socket.getSoError();
      } catch (IOException e) {
        failed(p.side, e);
        return;
      }
      if (error != 0) {
        failed(p.side, Errors.newIOException("socket", -error));
      }
    }
  }

  @Override
  public void close(End why) {
    end(why);
    closing = true;
    connecting = false; // an attempt under way ends here; a retry still scheduled finds the client gone
    cancelConnectTimer();
    down.closeSocket(false);
    up.closeSocket(false);
    finishIfDone();
  }

  private void end(End why) {
    if (end == null) {
      end = why;
    }
  }

  private void finishIfDone() {
    if (finished || connecting || down.socket.isOpen() || (up.socket != null && up.socket.isOpen())) {
      return;
    }
    finished = true;
    timeouts.stop();
    for (Side s : Side.values()) {
      bytes.report(events, route, s);
    }
    if (upstreamAddress != null) {
      attempt.released();
    }
    // Counted out of the open connections first: whoever sees the closed event sees it gone.
    onFinish.run();
    events.closed(new ConnectionSummary(route, client, upstreamAddress, attempts,
        bytes.received(Side.DOWNSTREAM), bytes.received(Side.UPSTREAM), System.nanoTime() - startNanos,
        end == null ? End.CLOSED : end));
  }

  /** One side's socket, as registered on the event loop. */
  private final class Peer implements EpollIoHandle {
    final Side side;
    Socket socket;
    IoRegistration registration;
    int interest; // what was last asked of epoll
    ByteBuf held; // bytes from the other side that this socket did not take yet (copied)
    Pipes.Pipe pipe; // or the pipe that holds them (spliced)
    int piped; // how many bytes that pipe holds
    boolean splicing; // bytes read from this side are spliced (after a read that filled the buffer)
    boolean paused; // not read from while the other side holds bytes from it
    boolean pauseReported; // the pause was reported to the events (a pause for the PROXY header is not)
    boolean inputShut;
    boolean finPending;
    boolean finSent;

    Peer(Side side) {
      this.side = side;
    }

    Peer other() {
      return side == Side.DOWNSTREAM ? up : down;
    }

    boolean holds() {
      return held != null || piped > 0;
    }

    boolean readable() {
      return !inputShut && !paused;
    }

    void register() throws IOException {
      var f = loop.register(this);
      if (!f.isSuccess()) {
        throw new IOException("cannot register with the event loop", f.cause());
      }
      registration = f.getNow();
      interest = 0;
    }

    /** Asks epoll for {@code ops} when they differ from what was asked last ({@link EpollInterest}). */
    void interest(int ops) {
      if (ops != interest && registration != null) {
        interest = ops;
        EpollInterest.ask(registration, ops);
      }
    }

    void updateInterest() {
      if (socket == null || !socket.isOpen()) {
        return;
      }
      interest((readable() ? EPOLLIN : 0) | (holds() ? EPOLLOUT : 0));
    }

    /** Closes the socket (with a reset when {@code reset}), once; what is held for it is dropped. */
    void closeSocket(boolean reset) {
      if (held != null) {
        held.release();
        held = null;
      }
      if (pipe != null) {
        Pipes.release(pipe, piped == 0);
        pipe = null;
        piped = 0;
      }
      if (socket == null || !socket.isOpen()) {
        return;
      }
      if (registration != null) {
        registration.cancel();
        registration = null;
      }
      if (reset) {
        RelaySockets.abort(socket);
        return;
      }
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a socket that failed: nothing to report beyond the failure itself
      }
    }

    @Override
    public FileDescriptor fd() {
      return socket;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
      DirectRelay.this.handle(this, ((EpollIoEvent) event).ops().value());
    }

    @Override
    public void close() {
      // The event loop is shutting down with this socket still registered.
      DirectRelay.this.close(End.DRAIN_TIMEOUT);
    }
  }
}
