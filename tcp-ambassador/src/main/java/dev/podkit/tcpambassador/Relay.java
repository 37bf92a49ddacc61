package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;
import java.util.ArrayDeque;
import javax.net.ssl.SSLException;

/**
 * One proxied connection: the client's channel, its upstream channel once connected, and what
 * passes between them.
 *
 * <p>Both channels are served by the same event loop, so this state needs no locks: every
 * method runs on that loop. The relay's rules:
 *
 * <ol>
 *   <li>bytes read from one side are written to the other and flushed at the end of each read
 *       batch; when the other side's write buffer is above its high water mark, reading from
 *       this side stops, and resumes when it drains (memory per connection stays bounded);
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
final class Relay {
  private final Route route;
  private final RelayPolicy policy;
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
  private final long[] rx = new long[2];
  private final long[] reported = new long[2];
  private final boolean[] inputShut = new boolean[2];
  private final boolean[] finPassed = new boolean[2];
  // Sides that were sent a FIN and whose half-closure is off: their EOF closes them at once.
  private final boolean[] closesOnFin = new boolean[2];
  // Each side's TLS handler (null for plain TCP), known once both channels are.
  private final SslHandler[] tls = new SslHandler[2];
  private final boolean[] paused = new boolean[2];
  private boolean closing;
  private boolean finished;
  private End end;
  private final RelayTimeouts timeouts;
  // What the client sent before the upstream was connected. Reading is off until then, but the
  // epoll transport still reads once when the client half-closes (EPOLLRDHUP), so a short
  // request and its FIN can arrive early, and on a TLS listener the read that finishes the
  // handshake may carry the first bytes too; bounded by one read loop.
  private ArrayDeque<Object> early;

  Relay(Route route, RelayPolicy policy, ProxyEvents events, Channel downstream, Runnable onFinish) {
    this.route = route;
    this.policy = policy;
    this.events = events;
    this.downstream = downstream;
    this.onFinish = onFinish;
    this.timeouts = new RelayTimeouts(policy, downstream.eventLoop(), this::close);
  }

  Route route() { return route; }
  Channel downstream() { return downstream; }

  private Channel channel(Side side) {
    return side == Side.DOWNSTREAM ? downstream : upstream;
  }

  /** Connecting to the upstream starts (on a TLS listener, after the client's handshake). */
  void startConnecting() {
    connecting = true;
  }

  /** A connection attempt starts. */
  void attempt() {
    attempts++;
  }

  /**
   * The upstream connection is up: reading starts on both sides. Returns false (and the caller
   * closes {@code channel}) when the client left meanwhile.
   */
  boolean upstreamConnected(Channel channel, InetSocketAddress address) {
    connecting = false;
    awaitingUpstream = false;
    if (!downstream.isActive() || closing) {
      return false;
    }
    upstream = channel;
    upstreamAddress = address;
    tls[Side.DOWNSTREAM.ordinal()] = downstream.pipeline().get(SslHandler.class);
    tls[Side.UPSTREAM.ordinal()] = upstream.pipeline().get(SslHandler.class);
    if (early != null) {
      for (Object msg; (msg = early.poll()) != null; ) {
        upstream.write(msg, upstream.voidPromise());
      }
      upstream.flush();
      early = null;
    }
    upstream.config().setAutoRead(true);
    if (inputShut[Side.DOWNSTREAM.ordinal()]) {
      inputShutdown(Side.DOWNSTREAM);
    } else {
      downstream.config().setAutoRead(true);
    }
    timeouts.start();
    return true;
  }

  private void releaseEarly() {
    if (early != null) {
      early.forEach(ReferenceCountUtil::release);
      early = null;
    }
  }

  /** Every attempt failed: the client is reset, so it does not take the close for an answer. */
  void upstreamFailed(End why) {
    connecting = false;
    awaitingUpstream = false;
    releaseEarly();
    end(why);
    RelaySockets.abort(downstream);
    finishIfDone();
  }

  /** Connecting stopped because the client left. */
  void upstreamAbandoned() {
    connecting = false;
    awaitingUpstream = false;
    releaseEarly();
    finishIfDone();
  }

  // (1) Bytes from one side to the other.
  void forward(Side from, Object msg) {
    Channel to = channel(from.other());
    if (to == null && awaitingUpstream && !closing) {
      if (early == null) early = new ArrayDeque<>(4);
      early.add(msg);
      if (msg instanceof ByteBuf b) rx[from.ordinal()] += b.readableBytes();
      return;
    }
    if (to == null || !to.isActive() || closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf b) {
      rx[from.ordinal()] += b.readableBytes();
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
    if (!to.isWritable() && !paused[from.ordinal()]) {
      paused[from.ordinal()] = true;
      channel(from).config().setAutoRead(false);
      events.readingPaused(route, from);
    }
  }

  void readComplete(Side from) {
    Channel to = channel(from.other());
    if (to != null) {
      to.flush();
    }
    timeouts.activity();
    int i = from.ordinal();
    if (rx[i] != reported[i]) {
      events.received(route, from, rx[i] - reported[i]);
      reported[i] = rx[i];
    }
  }

  /** {@code side}'s writability changed: reading from the other side may resume. */
  void writabilityChanged(Side side) {
    Channel c = channel(side);
    Side reader = side.other();
    if (c != null && c.isWritable() && paused[reader.ordinal()]) {
      paused[reader.ordinal()] = false;
      Channel r = channel(reader);
      if (r != null) {
        r.config().setAutoRead(true);
      }
      events.readingResumed(route, reader);
    }
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
    if (isTls(cause)) {
      if (!tlsReported) {
        tlsReported = true;
        events.tlsFailed(route, side, cause);
      }
      end(side == Side.UPSTREAM ? End.UPSTREAM_TLS_FAILED : End.DOWNSTREAM_TLS_FAILED);
    } else {
      end(side == Side.DOWNSTREAM ? End.DOWNSTREAM_RESET : End.UPSTREAM_RESET);
    }
    RelaySockets.abort(channel(side.other()));
    Channel c = channel(side);
    if (c != null) {
      c.close();
    }
  }

  private static boolean isTls(Throwable t) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) { // bounded: causes may loop
      if (c instanceof SSLException) return true;
    }
    return false;
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
  void close(End why) {
    end(why);
    closing = true;
    awaitingUpstream = false;
    releaseEarly();
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
    releaseEarly();
    timeouts.stop();
    for (Side s : Side.values()) {
      int i = s.ordinal();
      if (rx[i] != reported[i]) {
        events.received(route, s, rx[i] - reported[i]);
        reported[i] = rx[i];
      }
    }
    // Counted out of the open connections first: whoever sees the closed event sees it gone.
    onFinish.run();
    events.closed(new ConnectionSummary(route, downstream.remoteAddress(), upstreamAddress, attempts, rx[0], rx[1],
        System.nanoTime() - startNanos, end == null ? End.CLOSED : end));
  }
}
