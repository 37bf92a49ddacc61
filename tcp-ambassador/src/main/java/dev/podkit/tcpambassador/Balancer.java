package dev.podkit.tcpambassador;

import dev.podkit.runtime.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the order in which one route's upstream addresses are tried for a new connection
 * (round robin or least connections), and keeps per address the open connections and the
 * consecutive failed connects that eject it for a while (passive health), and whether active
 * health checks marked it down. Ejected and down addresses are tried after the others. Shared by
 * every event loop: thread-safe.
 */
final class Balancer {
  /** One address's state. */
  private static final class State {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    volatile long ejectedUntilNanos;
    volatile boolean down;
    int goodChecks; // guarded by this State
    int badChecks; // guarded by this State
  }

  private final Route route;
  private final ConnectPolicy policy;
  private final Ticker ticker;
  private final ProxyEvents events;
  private final AtomicLong next = new AtomicLong();
  private final Map<InetSocketAddress, State> states = new ConcurrentHashMap<>();

  Balancer(Route route, ConnectPolicy policy, Ticker ticker, ProxyEvents events) {
    this.route = route;
    this.policy = policy;
    this.ticker = ticker;
    this.events = events;
  }

  /**
   * The order to try {@code candidates} in: the chosen one first, then the rest in turn, every
   * ejected address after those that are not (so that an all-ejected route still tries).
   */
  List<InetSocketAddress> order(List<InetSocketAddress> candidates) {
    int n = candidates.size();
    if (n <= 1) {
      return candidates;
    }
    if (states.size() > 4 * n + 16) {
      states.entrySet().removeIf(e -> e.getValue().active.get() == 0 && !candidates.contains(e.getKey()));
    }
    long now = ticker.nanoTime();
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
    if (route.balance() == Route.Balance.LEAST_CONN) {
      int best = Integer.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        int j = (start + i) % n; // ties go round robin
        State s = states.get(candidates.get(j));
        int active = s == null ? 0 : s.active.get();
        if (active < best && !ejected(s, now) && (s == null || !s.down)) {
          best = active;
          start = j;
        }
      }
    }
    List<InetSocketAddress> healthy = new ArrayList<>(n);
    List<InetSocketAddress> ejected = new ArrayList<>(0);
    for (int i = 0; i < n; i++) {
      InetSocketAddress a = candidates.get((start + i) % n);
      State s = states.get(a);
      (ejected(s, now) || (s != null && s.down) ? ejected : healthy).add(a);
    }
    healthy.addAll(ejected);
    return healthy;
  }

  private static boolean ejected(State s, long now) {
    return s != null && s.ejectedUntilNanos != 0 && now - s.ejectedUntilNanos < 0;
  }

  /** A connection to {@code address} is open: its failure count restarts. */
  void connected(InetSocketAddress address) {
    State s = states.computeIfAbsent(address, a -> new State());
    s.active.incrementAndGet();
    s.failures.set(0);
    s.ejectedUntilNanos = 0;
  }

  /** A connection to {@code address} closed. */
  void released(InetSocketAddress address) {
    State s = states.get(address);
    if (s != null) {
      s.active.decrementAndGet();
    }
  }

  /** A connect to {@code address} failed; after --eject-after in a row it is ejected. */
  void failed(InetSocketAddress address) {
    State s = states.computeIfAbsent(address, a -> new State());
    int f = s.failures.incrementAndGet();
    if (policy.ejectAfter() > 0 && f >= policy.ejectAfter() && f % policy.ejectAfter() == 0) {
      long until = ticker.nanoTime() + policy.ejectFor().toNanos();
      s.ejectedUntilNanos = until == 0 ? 1 : until;
      events.addressEjected(route, address, f);
    }
  }

  /**
   * The result of an active health check of {@code address}: returns true when it changed the
   * address's state (marked down after {@code policy.fall()} failures in a row, up after
   * {@code policy.rise()} successes in a row).
   */
  boolean checked(InetSocketAddress address, boolean ok, HealthCheckPolicy policy) {
    State s = states.computeIfAbsent(address, a -> new State());
    synchronized (s) {
      if (ok) {
        s.badChecks = 0;
        if (s.down && ++s.goodChecks >= policy.rise()) {
          s.down = false;
          s.goodChecks = 0;
          return true;
        }
      } else {
        s.goodChecks = 0;
        if (!s.down && ++s.badChecks >= policy.fall()) {
          s.down = true;
          s.badChecks = 0;
          return true;
        }
      }
      return false;
    }
  }

  /** Addresses that active health checks marked down now. */
  int down() {
    return (int) states.values().stream().filter(s -> s.down).count();
  }

  /** Open connections to {@code address} (for tests and least-connections). */
  int active(InetSocketAddress address) {
    State s = states.get(address);
    return s == null ? 0 : s.active.get();
  }
}
