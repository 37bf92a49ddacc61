package dev.podkit.tcpambassador;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Active TCP health checks (optional): every interval, each route's upstream names are resolved
 * and every address gets a connect that is closed at once. The {@link Balancer} counts the
 * results (fall/rise) and tries down addresses last; a check still running when the next one is
 * due is not doubled. A check is plain TCP even on TLS routes: it asks whether the port answers.
 */
final class HealthChecks implements AutoCloseable {
  private final HealthCheckPolicy policy;
  private final EventLoops loops;
  private final UpstreamResolver resolver;
  private final Map<Route, Balancer> balancers;
  private final ProxyEvents events;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();

  HealthChecks(HealthCheckPolicy policy, EventLoops loops, UpstreamResolver resolver, Map<Route, Balancer> balancers,
      ProxyEvents events) {
    this.policy = policy;
    this.loops = loops;
    this.resolver = resolver;
    this.balancers = balancers;
    this.events = events;
  }

  /** Starts checking every route, each on one event loop. */
  void start() {
    long interval = policy.interval().toNanos();
    balancers.forEach((route, balancer) -> {
      EventLoop loop = loops.workers().next();
      timers.add(loop.scheduleWithFixedDelay(() -> checkRoute(route, balancer, loop), 0, interval, TimeUnit.NANOSECONDS));
    });
  }

  private void checkRoute(Route route, Balancer balancer, EventLoop loop) {
    resolver.resolve(route, loop).addListener((Future<List<InetSocketAddress>> f) -> {
      if (f.isSuccess()) {
        for (InetSocketAddress a : f.getNow()) {
          check(route, balancer, loop, a);
        }
      }
    });
  }

  private void check(Route route, Balancer balancer, EventLoop loop, InetSocketAddress address) {
    String key = route.name() + "|" + address;
    if (!inFlight.add(key)) {
      return;
    }
    Bootstrap b = new Bootstrap().group(loop).channel(loops.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, policy.timeout().toMillis()))
        .handler(new ChannelInboundHandlerAdapter());
    b.connect(address).addListener((ChannelFuture cf) -> {
      inFlight.remove(key);
      boolean ok = cf.isSuccess();
      if (ok) {
        cf.channel().close();
      } else {
        events.healthCheckFailed(route, address, cf.cause());
      }
      if (balancer.checked(address, ok, policy)) {
        events.healthChanged(route, address, ok);
      }
    });
  }

  @Override
  public void close() {
    timers.forEach(t -> t.cancel(false));
  }
}
