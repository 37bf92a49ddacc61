package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;

/**
 * One proxied connection: the client's channel, its upstream channel once connected, and what
 * passes between them. Serves routes with TLS on either side, and every route on NIO; a plain
 * route on epoll is relayed by the {@link DirectRelay} instead.
 *
 * <p>Both channels are served by the same event loop, so this state needs no locks: every
 * method runs on that loop. The relay's rules:
 *
 * <ol>
 *   <li>bytes read from one side are written to the other and flushed at the end of each read
 *       batch; when the other side's write buffer is above its high water mark, reading from
 *       this side stops, and resumes when it drains (memory per connection stays bounded;
 *       {@link ReadPauses});
 *   <li>a FIN from one side is passed on once what it sent is written (shutdown of the other
 *       side's output; on TLS with the JDK's engine a close_notify first), and the other
 *       direction goes on: the reply after a half-close arrives;
 *   <li>when both sides sent their FIN, both channels close;
 *   <li>a reset or error on one side resets the other (SO_LINGER 0), so a failure is not
 *       mistaken for a clean end;
 *   <li>with no byte either way for the idle timeout (the half-close timeout once half-closed,
 *       see {@link RelayTimeouts}), both close.
 * </ol>
 */
final class Relay implements Connection {
  private final Route route;
  private final ProxyEvents events;
  private final Channel downstream;
  private final Runnable onFinish;
  private final long startNanos = System.nanoTime();

  private Channel upstream;
  private InetSocketAddress upstreamAddress;
  private boolean connecting;
  private boolean awaitingUpstream = true;
  private boolean tlsReported;
  private int attempts;
  private final ByteCounts bytes = new ByteCounts();
  private final boolean[] inputShut = new boolean[2];
  private final boolean[] finPassed = new boolean[2];
  // Sides that were sent a FIN and whose half-closure is off: their EOF closes them at once.
  private final boolean[] closesOnFin = new boolean[2];
  // Each side's TLS handler (null for plain TCP), known once both channels are.
  private final SslHandler[] tls = new SslHandler[2];
  private boolean closing;
  private boolean finished;
  private End end;
  private final RelayTimeouts timeouts;
  private final EarlyBytes early = new EarlyBytes();
  private final ReadPauses pauses;

  Relay(Route route, RelayPolicy policy, ProxyEvents events, Channel downstream, Runnable onFinish) {
    this.route = route;
    this.events = events;
    this.downstream = downstream;
    this.onFinish = onFinish;
    this.timeouts = new RelayTimeouts(policy, downstream.eventLoop(), this::close);
    this.pauses = new ReadPauses(route, events);
  }

  Route route() { return route; }
  Channel downstream() { return downstream; }

  @Override
  public EventLoop loop() {
    return downstream.eventLoop();
  }

  @Override
  public boolean clientGone() {
    return !downstream.isActive();
  }

  private Channel channel(Side side) {
    return side == Side.DOWNSTREAM ? downstream : upstream;
  }

  /** Connecting to the upstream starts (on a TLS listener, after the client's handshake). */
  @Override
  public void startConnecting() {
    connecting = true;
  }

  /** A connection attempt starts. */
  @Override
  public void attempt() {
    attempts++;
  }

  /**
   * The upstream connection is up: reading starts on both sides, and {@code afterASecond} (or
   * null) runs once the connection has lasted a second. Returns false (and the caller closes
   * {@code channel}) when the client left meanwhile.
   */
  boolean upstreamConnected(Channel channel, InetSocketAddress address, Runnable afterASecond) {
    connecting = false;
    awaitingUpstream = false;
    if (!downstream.isActive() || closing) {
      return false;
    }
    upstream = channel;
    upstreamAddress = address;
    tls[Side.DOWNSTREAM.ordinal()] = downstream.pipeline().get(SslHandler.class);
    tls[Side.UPSTREAM.ordinal()] = upstream.pipeline().get(SslHandler.class);
    early.writeTo(upstream);
    upstream.config().setAutoRead(true);
    if (inputShut[Side.DOWNSTREAM.ordinal()]) {
      inputShutdown(Side.DOWNSTREAM);
    } else {
      downstream.config().setAutoRead(true);
    }
    timeouts.start(afterASecond);
    return true;
  }

  /** Every attempt failed: the client is reset, so it does not take the close for an answer. */
  @Override
  public void upstreamFailed(End why) {
    end(why);
    RelaySockets.abort(downstream); // its inactive event comes later, from the loop's queue
    upstreamAbandoned();
  }

  /** Connecting stopped because the client left. */
  @Override
  public void upstreamAbandoned() {
    connecting = false;
    awaitingUpstream = false;
    early.release();
    finishIfDone();
  }

  // (1) Bytes from one side to the other.
  void forward(Side from, Object msg) {
    Channel to = channel(from.other());
    boolean beforeUpstream = to == null && awaitingUpstream && !closing;
    if (!beforeUpstream && (to == null || !to.isActive() || closing)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf b) {
      bytes.add(from, b.readableBytes());
    }
    if (beforeUpstream) {
      early.hold(msg); // written once the upstream is connected
      return;
    }
    SslHandler toTls = tls[from.other().ordinal()];
    if (toTls != null && toTls.engine().isOutboundDone()) {
      // Its TLS session can no longer send: say so (reset the sender), never drop in silence.
      ReferenceCountUtil.release(msg);
      end(End.UNDELIVERABLE);
      RelaySockets.abort(channel(from));
      to.close();
      return;
    }
    to.write(msg, to.voidPromise());
    pauses.wrote(to, from, channel(from));
  }

  void readComplete(Side from) {
    Channel to = channel(from.other());
    if (to != null) {
      to.flush();
    }
    timeouts.activity();
    bytes.report(events, route, from);
  }

  /** {@code side}'s writability changed: reading from the other side may resume. */
  void writabilityChanged(Side side) {
    pauses.writabilityChanged(channel(side), side.other(), channel(side.other()));
  }

  // (2) and (3) A FIN from one side.
  void inputShutdown(Side from) {
    inputShut[from.ordinal()] = true;
    timeouts.halfClosed();
    Channel to = channel(from.other());
    if (to == null || !to.isActive() || finPassed[from.ordinal()]) {
      return; // not connected yet (passed on once it is), or passed on already (TLS: close_notify, then FIN)
    }
    finPassed[from.ordinal()] = true;
    to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess() || !to.isActive()) {
        return; // the write failure was reported to the other side's handler
      }
      SslHandler tls = to.pipeline().get(SslHandler.class);
      if (tls != null && !(tls.engine() instanceof ReferenceCountedOpenSslEngine)) {
        // TLS 1.3 half-close: close_notify, then the TCP FIN; the JDK's engine still reads after it.
        tls.closeOutbound().addListener(g -> shutdownOutput(to));
      } else {
        // Plain TCP, or BoringSSL, which reads nothing more once it sent its close_notify: the
        // bare FIN, so that the reply still comes back (close_notify goes with the final close).
        shutdownOutput(to);
      }
    });
  }

  private void shutdownOutput(Channel c) {
    if (!c.isActive()) {
      return;
    }
    Side side = c == downstream ? Side.DOWNSTREAM : Side.UPSTREAM;
    if (!inputShut[side.ordinal()] && tls[side.ordinal()] == null) {
      // Its FIN will end the connection: let the transport close it on that EOF rather than shut
      // its input (a system call that fails with ENOTCONN once both FINs have crossed, and an
      // exception with it). inactive() takes that quiet close for its FIN.
      closesOnFin[side.ordinal()] = true;
      c.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    }
    try {
      if (RelaySockets.sendFin(c)) {
        closeIfBothFinished();
        return;
      }
    } catch (IOException | NotYetConnectedException e) { // reset meanwhile
      failed(side, e);
      return;
    }
    ((DuplexChannel) c).shutdownOutput().addListener(f -> closeIfBothFinished());
  }

  private void closeIfBothFinished() {
    if (inputShut[0] && inputShut[1]) {
      close(End.CLOSED);
    }
  }

  // (4) Errors and resets.
  void failed(Side side, Throwable cause) {
    End why = End.ofFailure(side, cause);
    if (!tlsReported && (why == End.UPSTREAM_TLS_FAILED || why == End.DOWNSTREAM_TLS_FAILED)) {
      tlsReported = true;
      events.tlsFailed(route, side, cause);
    }
    end(why);
    RelaySockets.abort(channel(side.other()));
    Channel c = channel(side);
    if (c != null) {
      c.close();
    }
  }

  /** {@code side}'s channel closed. */
  void inactive(Side side) {
    Channel other = channel(side.other());
    if (other != null && other.isActive() && !closing) {
      if (closesOnFin[side.ordinal()] && !inputShut[side.ordinal()]) {
        // (3) Its FIN after ours (the transport closed it on that EOF): the other side gets its
        // FIN with the close, after what is queued for it.
        inputShut[side.ordinal()] = true;
        end(End.CLOSED);
        RelaySockets.closeAfterFlush(other);
      } else if (inputShut[side.ordinal()]) {
        end(End.PEER_CLOSED);
        RelaySockets.closeAfterFlush(other);
      } else {
        // Closed without a FIN first: a reset the stack did not report as an error.
        end(side == Side.DOWNSTREAM ? End.DOWNSTREAM_RESET : End.UPSTREAM_RESET);
        RelaySockets.abort(other);
      }
    }
    finishIfDone();
  }

  /** Closes both sides, after what is already flushed; {@code why} is the end unless one was set. */
  @Override
  public void close(End why) {
    end(why);
    closing = true;
    awaitingUpstream = false;
    early.release();
    downstream.close();
    if (upstream != null) {
      upstream.close();
    }
    finishIfDone();
  }

  private void end(End why) {
    if (end == null) {
      end = why;
    }
  }

  private void finishIfDone() {
    if (finished || downstream.isOpen() || connecting || (upstream != null && upstream.isOpen())) {
      return;
    }
    finished = true;
    early.release();
    timeouts.stop();
    for (Side s : Side.values()) {
      bytes.report(events, route, s);
    }
    // Counted out of the open connections first: whoever sees the closed event sees it gone.
    onFinish.run();
    events.closed(new ConnectionSummary(route, downstream.remoteAddress(), upstreamAddress, attempts,
        bytes.received(Side.DOWNSTREAM), bytes.received(Side.UPSTREAM), System.nanoTime() - startNanos,
        end == null ? End.CLOSED : end));
  }
}
