package dev.podkit.tcpambassador;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.concurrent.Future;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the upstream connection of one client connection on one route:
 *
 * <ol>
 *   <li>resolve every upstream name (cached, see {@link UpstreamResolver});
 *   <li>let the {@link Balancer} order the addresses;
 *   <li>connect to the first, on the client channel's own event loop; on failure or timeout,
 *       after a backoff, to the next, up to --retries more times;
 *   <li>once connected, send the PROXY protocol header if asked, then hand the channel to the
 *       {@link Relay}.
 * </ol>
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

  /** Starts connecting for {@code relay}; the outcome goes to the relay. */
  void connect(Relay relay) {
    EventLoop loop = relay.downstream().eventLoop();
    relay.startConnecting();
    resolver.resolve(route, loop).addListener((Future<List<InetSocketAddress>> f) -> { // (1)
      if (!f.isSuccess()) {
        events.upstreamGaveUp(route, 0);
        relay.upstreamFailed(End.UPSTREAM_CONNECT_FAILED);
        return;
      }
      attempt(relay, balancer.order(f.getNow()), 0); // (2)
    });
  }

  private void attempt(Relay relay, List<InetSocketAddress> order, int n) { // (3)
    Channel downstream = relay.downstream();
    if (!downstream.isActive()) {
      relay.upstreamAbandoned();
      return;
    }
    InetSocketAddress address = order.get(n % order.size());
    relay.attempt();
    long t0 = System.nanoTime();
    // The channel is made and registered here rather than by a Bootstrap: no per-connection copy
    // of the options, no initializer handler added and removed.
    Channel ch = sockets.upstream(address);
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch.alloc(), address));
    }
    p.addLast("relay", new RelayHandler(relay, Side.UPSTREAM));
    ChannelFutureListener outcome = cf -> connected(cf, relay, order, n, address, t0);
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

  private void connected(ChannelFuture cf, Relay relay, List<InetSocketAddress> order, int n, InetSocketAddress address,
      long t0) {
    Channel downstream = relay.downstream();
    if (cf.isSuccess()) {
      Channel ch = cf.channel();
      balancer.connected(address);
      ch.closeFuture().addListener(x -> balancer.released(address));
      events.upstreamConnected(route, address, System.nanoTime() - t0);
      sendProxyHeader(ch, downstream); // (4)
      if (!relay.upstreamConnected(ch, address, sockets.keepalive(ch))) {
        ch.close();
      }
      return;
    }
    // Closed at once (as a Bootstrap does): else the same epoll event goes on to read the failed
    // socket, and its error would reach the relay as if the connection had failed.
    cf.channel().close();
    boolean timeout = cf.cause() instanceof ConnectTimeoutException;
    balancer.failed(address);
    events.upstreamConnectFailed(route, address, cf.cause(), timeout);
    if (n < policy.retries() && downstream.isActive()) {
      long delay = policy.backoff().delay(n).toNanos();
      downstream.eventLoop().schedule(() -> attempt(relay, order, n + 1), delay, TimeUnit.NANOSECONDS);
    } else if (downstream.isActive()) {
      events.upstreamGaveUp(route, n + 1);
      relay.upstreamFailed(End.UPSTREAM_CONNECT_FAILED);
    } else {
      relay.upstreamAbandoned();
    }
  }

  /** Writes the PROXY protocol header (v1 text or v2 binary) before anything else, below TLS. */
  private void sendProxyHeader(Channel upstream, Channel downstream) {
    if (route.proxyProtocol() == Route.ProxyProtocol.OFF
        || !(downstream.remoteAddress() instanceof InetSocketAddress src)
        || !(downstream.localAddress() instanceof InetSocketAddress dst)) {
      return;
    }
    HAProxyProxiedProtocol family = src.getAddress() instanceof Inet4Address && dst.getAddress() instanceof Inet4Address
        ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6;
    HAProxyMessage header = new HAProxyMessage(
        route.proxyProtocol() == Route.ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2,
        HAProxyCommand.PROXY, family, hostText(src, family), hostText(dst, family), src.getPort(), dst.getPort());
    // The encoder sits at the head of the pipeline for this one write, which starts below TLS
    // (from the TLS handler's context), so the header goes out in clear before any TLS record.
    ChannelPipeline p = upstream.pipeline();
    p.addFirst("proxy-protocol", HAProxyMessageEncoder.INSTANCE);
    p.context(p.get("tls") != null ? "tls" : "relay").writeAndFlush(header)
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    p.remove("proxy-protocol");
  }

  private static String hostText(InetSocketAddress a, HAProxyProxiedProtocol family) {
    String s = a.getAddress().getHostAddress();
    if (family == HAProxyProxiedProtocol.TCP6 && a.getAddress() instanceof Inet4Address) {
      return "::ffff:" + s;
    }
    int pct = s.indexOf('%');
    return pct < 0 ? s : s.substring(0, pct);
  }
}
