package dev.podkit.tcpambassador;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a route's upstream names to every address they have, for each new connection.
 *
 * <p>Answers come from a cache shared by every event loop that keeps each record for its TTL (at
 * most --dns-max-ttl), so most connections do not wait for DNS; when a record expired, the next
 * connection asks again and follows the new answer, while connections already open keep theirs.
 * When a name cannot be resolved, its last good answer is used (and the failure reported), so a
 * DNS outage does not stop new connections to upstreams that still work. Name servers, search
 * domains and ndots come from /etc/resolv.conf unless --dns-server is given; /etc/hosts is read.
 */
final class UpstreamResolver implements AutoCloseable {
  private final DnsPolicy policy;
  private final Class<? extends DatagramChannel> datagramChannel;
  private final Class<? extends SocketChannel> socketChannel;
  private final ProxyEvents events;
  private final Map<Route.Family, DefaultDnsCache> caches = new ConcurrentHashMap<>();
  // One resolver per event loop (and family), so a lookup completes on the loop that asked.
  private final Map<LoopFamily, DnsNameResolver> resolvers = new ConcurrentHashMap<>();
  // The last answer per name and family: used when a later lookup fails.
  private final Map<String, List<InetAddress>> lastGood = new ConcurrentHashMap<>();

  UpstreamResolver(DnsPolicy policy, Class<? extends DatagramChannel> datagramChannel,
      Class<? extends SocketChannel> socketChannel, ProxyEvents events) {
    this.policy = policy;
    this.datagramChannel = datagramChannel;
    this.socketChannel = socketChannel;
    this.events = events;
  }

  /**
   * Every address of every upstream of {@code route}, with its port; completes on {@code loop}.
   * Fails only when no upstream has any address (not now, not before).
   */
  Future<List<InetSocketAddress>> resolve(Route route, EventLoop loop) {
    Promise<List<InetSocketAddress>> promise = loop.newPromise();
    List<HostPort> upstreams = route.upstreams();
    List<InetSocketAddress> all = new ArrayList<>(upstreams.size() * 2);
    int[] pending = {upstreams.size()};
    Throwable[] firstFailure = {null};
    for (HostPort hp : upstreams) {
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(hp.host());
      if (literal != null) {
        all.add(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(hp.host()), hp.port()));
        pending[0]--;
        continue;
      }
      String key = route.family() + "|" + hp.host();
      resolverFor(loop, route.family()).resolveAll(hp.host()).addListener((Future<List<InetAddress>> f) -> {
        List<InetAddress> addresses = answered(key, hp.host(), f);
        if (addresses == null) {
          if (firstFailure[0] == null) firstFailure[0] = f.cause();
        } else {
          for (InetAddress a : addresses) all.add(new InetSocketAddress(a, hp.port()));
        }
        if (--pending[0] == 0) finish(promise, all, firstFailure[0]);
      });
    }
    if (pending[0] == 0 && !promise.isDone()) { // every upstream was an IP literal
      finish(promise, all, null);
    }
    return promise;
  }

  private static void finish(Promise<List<InetSocketAddress>> promise, List<InetSocketAddress> all, Throwable failure) {
    if (all.isEmpty()) {
      promise.setFailure(failure != null ? failure : new UnknownHostException("no address"));
    } else {
      promise.setSuccess(all);
    }
  }

  /** The addresses to use after a lookup: its answer, or the last good one when it failed. */
  private List<InetAddress> answered(String key, String host, Future<List<InetAddress>> f) {
    if (f.isSuccess() && !f.getNow().isEmpty()) {
      List<InetAddress> now = f.getNow();
      List<InetAddress> before = lastGood.put(key, List.copyOf(now));
      if (before == null || !before.equals(now)) {
        events.nameChanged(host, now);
      }
      return now;
    }
    events.nameFailed(host, f.cause() != null ? f.cause() : new UnknownHostException(host + ": no address"));
    return lastGood.get(key);
  }

  /** Looks every name of {@code routes} up again (the background refresh), on {@code loop}. */
  void refresh(List<Route> routes, EventLoop loop) {
    for (Route r : routes) {
      resolve(r, loop); // failures were reported as events; the last answers stay
    }
  }

  private DnsNameResolver resolverFor(EventLoop loop, Route.Family family) {
    return resolvers.computeIfAbsent(new LoopFamily(loop, family), k -> build(loop, family));
  }

  /** A resolver's key: routes of another family get resolvers (and a cache) of their own. */
  private record LoopFamily(EventLoop loop, Route.Family family) {}

  private DnsNameResolver build(EventLoop loop, Route.Family family) {
    DnsServerAddressStreamProvider servers = policy.servers().isEmpty()
        ? DnsServerAddressStreamProviders.platformDefault()
        : new SequentialDnsServerAddressStreamProvider(policy.servers());
    DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop)
        .datagramChannelType(datagramChannel)
        .socketChannelType(socketChannel)
        .resolveCache(caches.computeIfAbsent(family, f -> new DefaultDnsCache(0, maxTtlSeconds(), 0)))
        .nameServerProvider(servers)
        .queryTimeoutMillis(2000);
    if (family == Route.Family.IPV4) b.resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY);
    if (family == Route.Family.IPV6) b.resolvedAddressTypes(ResolvedAddressTypes.IPV6_ONLY);
    return b.build();
  }

  private int maxTtlSeconds() {
    return (int) Math.min(Integer.MAX_VALUE, policy.maxTtl().toSeconds());
  }

  @Override
  public void close() {
    resolvers.values().forEach(DnsNameResolver::close);
    resolvers.clear();
  }
}
