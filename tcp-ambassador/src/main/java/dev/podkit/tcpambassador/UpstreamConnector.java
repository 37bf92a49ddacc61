package dev.podkit.tcpambassador;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the upstream connection of one client connection on one route:
 *
 * <ol>
 *   <li>resolve every upstream name (cached, see {@link UpstreamResolver});
 *   <li>let the {@link Balancer} order the addresses;
 *   <li>connect to the first, on the client connection's own event loop; on failure or
 *       timeout, after a backoff, to the next, up to --retries more times;
 *   <li>once connected, send the PROXY protocol header if asked, then hand the connection to the
 *       relay.
 * </ol>
 *
 * <p>Steps 1 to 3 are the same for both relays; how one attempt is made ({@link Dialer}) is
 * theirs: a Netty channel for the {@link Relay}, a socket of its own for the {@link DirectRelay}.
 */
final class UpstreamConnector {
  private final Route route;
  private final ConnectPolicy policy;
  private final Balancer balancer;
  private final UpstreamResolver resolver;
  private final ProxyEvents events;
  private final RelaySockets sockets;
  private final UpstreamTlsContext tls;

  UpstreamConnector(Route route, ConnectPolicy policy, Balancer balancer, UpstreamResolver resolver,
      ProxyEvents events, RelaySockets sockets, UpstreamTlsContext tls) {
    this.route = route;
    this.policy = policy;
    this.balancer = balancer;
    this.resolver = resolver;
    this.events = events;
    this.sockets = sockets;
    this.tls = tls;
  }

  /** Starts connecting for the Netty {@code relay}; the outcome goes to the relay. */
  void connect(Relay relay) {
    drive(relay, (address, attempt) -> dialChannel(relay, address, attempt));
  }

  /** Starts connecting for the {@code relay} that owns its sockets; the outcome goes to the relay. */
  void connect(DirectRelay relay) {
    drive(relay, relay::dial);
  }

  /** How one attempt is made: it ends in {@link Attempt#connected()} or {@link Attempt#failed}. */
  interface Dialer {
    void dial(InetSocketAddress address, Attempt attempt);
  }

  private void drive(Connection client, Dialer dialer) {
    client.startConnecting();
    resolver.resolve(route, client.loop()).addListener((Future<List<InetSocketAddress>> f) -> { // (1)
      if (!f.isSuccess()) {
        events.upstreamGaveUp(route, 0);
        client.upstreamFailed(End.UPSTREAM_CONNECT_FAILED);
        return;
      }
      attempt(client, dialer, balancer.order(f.getNow()), 0); // (2)
    });
  }

  private void attempt(Connection client, Dialer dialer, List<InetSocketAddress> order, int n) { // (3)
    if (client.clientGone()) {
      client.upstreamAbandoned();
      return;
    }
    InetSocketAddress address = order.get(n % order.size());
    client.attempt();
    dialer.dial(address, new Attempt(client, dialer, order, n, address));
  }

  /** One connection attempt to one address; its dialer reports how it went, once. */
  final class Attempt {
    private final Connection client;
    private final Dialer dialer;
    private final List<InetSocketAddress> order;
    private final int n;
    private final InetSocketAddress address;
    private final long t0 = System.nanoTime();

    private Attempt(Connection client, Dialer dialer, List<InetSocketAddress> order, int n, InetSocketAddress address) {
      this.client = client;
      this.dialer = dialer;
      this.order = order;
      this.n = n;
      this.address = address;
    }

    /** The connection is up; {@link #released()} must follow when it closes. */
    void connected() {
      balancer.connected(address);
      events.upstreamConnected(route, address, System.nanoTime() - t0);
    }

    /** The connection made by a successful attempt closed. */
    void released() {
      balancer.released(address);
    }

    /** The attempt failed: the next one after a backoff, or the client is told. */
    void failed(Throwable cause, boolean timeout) {
      balancer.failed(address);
      events.upstreamConnectFailed(route, address, cause, timeout);
      if (n < policy.retries() && !client.clientGone()) {
        long delay = policy.backoff().delay(n).toNanos();
        client.loop().schedule(() -> attempt(client, dialer, order, n + 1), delay, TimeUnit.NANOSECONDS);
      } else if (!client.clientGone()) {
        events.upstreamGaveUp(route, n + 1);
        client.upstreamFailed(End.UPSTREAM_CONNECT_FAILED);
      } else {
        client.upstreamAbandoned();
      }
    }

    /**
     * The PROXY protocol header the route asks for (null when off) for a client at {@code source}
     * that reached the listener at {@code listener}.
     */
    HAProxyMessage proxyHeader(SocketAddress source, SocketAddress listener) {
      return ProxyHeaders.header(route.proxyProtocol(), source, listener);
    }

    InetSocketAddress address() { return address; }
  }

  private void dialChannel(Relay relay, InetSocketAddress address, Attempt attempt) {
    Channel downstream = relay.downstream();
    // The channel is made and registered here rather than by a Bootstrap: no per-connection copy
    // of the options, no initializer handler added and removed.
    Channel ch = sockets.upstream(address);
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch.alloc(), address));
    }
    p.addLast("relay", new RelayHandler(relay, Side.UPSTREAM));
    ChannelFutureListener outcome = cf -> connected(cf, relay, attempt);
    ChannelFuture registered = downstream.eventLoop().register(ch);
    if (registered.isDone()) { // on the loop itself, registering completes at once
      startConnect(registered, address, outcome);
    } else {
      registered.addListener((ChannelFuture r) -> startConnect(r, address, outcome));
    }
  }

  private static void startConnect(ChannelFuture registered, InetSocketAddress address, ChannelFutureListener outcome) {
    if (registered.isSuccess()) {
      registered.channel().connect(address).addListener(outcome);
    } else {
      registered.channel().unsafe().closeForcibly();
      registered.addListener(outcome);
    }
  }

  private void connected(ChannelFuture cf, Relay relay, Attempt attempt) {
    if (cf.isSuccess()) {
      Channel ch = cf.channel();
      attempt.connected();
      ch.closeFuture().addListener(x -> attempt.released());
      sendProxyHeader(ch, relay.downstream(), attempt); // (4)
      if (!relay.upstreamConnected(ch, attempt.address(), sockets.keepalive(ch))) {
        ch.close();
      }
      return;
    }
    // Closed at once (as a Bootstrap does): else the same epoll event goes on to read the failed
    // socket, and its error would reach the relay as if the connection had failed.
    cf.channel().close();
    attempt.failed(cf.cause(), cf.cause() instanceof ConnectTimeoutException);
  }

  /** Writes the PROXY protocol header (v1 text or v2 binary) before anything else, below TLS. */
  private static void sendProxyHeader(Channel upstream, Channel downstream, Attempt attempt) {
    HAProxyMessage header = attempt.proxyHeader(downstream.remoteAddress(), downstream.localAddress());
    if (header == null) {
      return;
    }
    // The encoder sits at the head of the pipeline for this one write, which starts below TLS
    // (from the TLS handler's context), so the header goes out in clear before any TLS record.
    ChannelPipeline p = upstream.pipeline();
    p.addFirst("proxy-protocol", HAProxyMessageEncoder.INSTANCE);
    p.context(p.get("tls") != null ? "tls" : "relay").writeAndFlush(header)
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    p.remove("proxy-protocol");
  }
}
