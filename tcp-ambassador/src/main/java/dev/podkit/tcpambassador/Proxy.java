package dev.podkit.tcpambassador;

import dev.podkit.runtime.Ticker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The listeners of every route and the connections they accepted: binds, counts open
 * connections against --max-connections, and stops (stop accepting, wait for the open
 * connections, close what is left).
 */
final class Proxy {
  private final AmbassadorConfig config;
  private final EventLoops loops;
  private final UpstreamResolver resolver;
  private final ProxyEvents events;
  private final TlsContexts tls;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Connection> relays = ConcurrentHashMap.newKeySet();
  private final List<Listening> listeners = new ArrayList<>();
  private final Map<Route, Balancer> balancers = new LinkedHashMap<>();

  Proxy(AmbassadorConfig config, EventLoops loops, UpstreamResolver resolver, TlsContexts tls, ProxyEvents events) {
    this.config = config;
    this.loops = loops;
    this.resolver = resolver;
    this.tls = tls;
    this.events = events;
  }

  /** Binds every route's listener; throws when one cannot be bound (the others are closed). */
  void start() throws IOException {
    RelaySockets sockets = new RelaySockets(loops, config.relay(), config.connect().connectTimeout());
    try {
      for (Route route : config.routes()) {
        Balancer balancer = new Balancer(route, config.connect(), Ticker.system(), events);
        balancers.put(route, balancer);
        UpstreamConnector connector = new UpstreamConnector(route, config.connect(), balancer, resolver, events,
            sockets, tls.upstream(route));
        ListenerTlsContext listenerTls = tls.listener(route);
        HostPort l = route.listen();
        InetSocketAddress at = l.anyHost() ? new InetSocketAddress(l.port()) : new InetSocketAddress(l.host(), l.port());
        if (loops.epoll() && listenerTls == null && tls.upstream(route) == null) {
          listeners.add(listenDirect(route, at, sockets, connector));
          continue;
        }
        // The listener is served by a relay loop too: with one loop, a new connection stays on
        // the thread that accepted it (no hand-over and wake-up of another thread).
        ServerBootstrap b = new ServerBootstrap().group(loops.workers(), loops.workers())
            .channelFactory(() -> loops.newServerChannel(at.getAddress()))
            .option(ChannelOption.SO_BACKLOG, config.backlog())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                accept(route, connector, listenerTls, ch);
              }
            });
        sockets.configure(b);
        ChannelFuture bound = b.bind(at).awaitUninterruptibly();
        if (!bound.isSuccess()) {
          throw new IOException("cannot listen on " + route.name() + ": " + bound.cause().getMessage(), bound.cause());
        }
        Channel ch = bound.channel();
        listeners.add(new Listening(() -> (InetSocketAddress) ch.localAddress(),
            () -> ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS)));
      }
    } catch (IOException | RuntimeException e) {
      stopAccepting();
      throw e;
    }
  }

  /** A plain-TCP route on epoll: a listening socket and relays that own their sockets ({@link DirectRelay}). */
  private Listening listenDirect(Route route, InetSocketAddress at, RelaySockets sockets, UpstreamConnector connector)
      throws IOException {
    Socket socket;
    try {
      socket = sockets.newListener(at, config.backlog());
    } catch (IOException e) {
      throw new IOException("cannot listen on " + route.name() + ": " + e.getMessage(), e);
    }
    RelaySockets.Keepalive keepalive = sockets.keepalive();
    DirectListener listener = DirectListener.start(route, events, socket, loops.nextLoop(),
        (s, client) -> acceptDirect(route, connector, keepalive, s, client));
    return new Listening(listener::address, listener::stop);
  }

  private void acceptDirect(Route route, UpstreamConnector connector, RelaySockets.Keepalive keepalive, Socket s,
      InetSocketAddress client) {
    if (!admit(route, client)) {
      RelaySockets.abort(s);
      return;
    }
    IoEventLoop loop = loops.nextLoop();
    DirectRelay relay = track(onFinish ->
        new DirectRelay(route, config.relay(), config.connect(), keepalive, events, loop, s, client, onFinish));
    if (loop.inEventLoop()) {
      connect(relay, () -> connector.connect(relay));
    } else {
      loop.execute(() -> connect(relay, () -> connector.connect(relay)));
    }
  }

  /**
   * Counts a new connection from {@code client} in; false (not counted, the refusal reported)
   * when --max-connections are open.
   */
  private boolean admit(Route route, SocketAddress client) {
    events.accepted(route);
    int max = config.maxConnections();
    if (open.incrementAndGet() > max && max > 0) {
      open.decrementAndGet();
      events.overflowed(route);
      events.closed(new ConnectionSummary(route, client, null, 0, 0, 0, 0, End.OVERFLOW));
      return false;
    }
    return true;
  }

  /** The connection {@code make} builds (given what it runs when it finishes), among the open ones until then. */
  private <C extends Connection> C track(Function<Runnable, C> make) {
    List<Connection> self = new ArrayList<>(1);
    C c = make.apply(() -> {
      relays.remove(self.getFirst());
      open.decrementAndGet();
    });
    self.add(c);
    relays.add(c);
    return c;
  }

  /** Starts connecting {@code c} upstream: a bug must cost this one connection, not the open count. */
  private static void connect(Connection c, Runnable start) {
    try {
      start.run();
    } catch (RuntimeException e) {
      c.upstreamFailed(End.UPSTREAM_CONNECT_FAILED); // the connection still finishes
      throw e;
    }
  }

  private void accept(Route route, UpstreamConnector connector, ListenerTlsContext listenerTls, Channel ch) {
    if (!admit(route, ch.remoteAddress())) {
      ch.config().setOption(ChannelOption.SO_LINGER, 0);
      ch.close();
      return;
    }
    Relay relay = track(onFinish -> new Relay(route, config.relay(), events, ch, onFinish));
    if (listenerTls != null) {
      // (TLS listener) the handshake first, reading on for it; the upstream once it succeeded.
      ch.pipeline().addLast("tls", listenerTls.newHandler(ch.alloc()))
          .addLast("handshake", new ClientHandshake(relay, connector))
          .addLast("relay", new RelayHandler(relay, Side.DOWNSTREAM));
      ch.config().setAutoRead(true);
      return;
    }
    ch.pipeline().addLast("relay", new RelayHandler(relay, Side.DOWNSTREAM));
    connect(relay, () -> connector.connect(relay));
  }

  /** Each route's balancer (for the active health checks). */
  Map<Route, Balancer> balancers() {
    return balancers;
  }

  /** The bound addresses, in route order (ports are real when 0 was asked). */
  List<InetSocketAddress> boundAddresses() {
    return listeners.stream().map(l -> l.address().get()).toList();
  }

  /** Client connections open now. */
  int openConnections() {
    return open.get();
  }

  /** True when --max-connections connections are open. */
  boolean full() {
    int max = config.maxConnections();
    return max > 0 && open.get() >= max;
  }

  /** Closes the listeners: new connections are refused by the kernel; open ones go on. */
  void stopAccepting() {
    for (Listening l : listeners) {
      l.stop().run();
    }
  }

  /** Waits until no connection is open, at most {@code timeout}; returns whether none is. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (open.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return open.get() == 0;
  }

  /** Closes every open connection, each on its own loop; {@code why} is what their logs say. */
  void closeAll(End why) {
    for (Connection r : relays) {
      r.loop().execute(() -> r.close(why));
    }
  }

  /** One route's listener, on a Netty channel or a socket of its own. */
  private record Listening(Supplier<InetSocketAddress> address, Runnable stop) {}
}
