package dev.podkit.tcpambassador;

import dev.podkit.runtime.Log;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns proxy events into log lines: failures at most one line per kind and address every ten
 * seconds (with how many were left out), DNS answer changes and ejections always, and with
 * --access-log one line per finished connection.
 */
final class ProxyLog implements ProxyEvents {
  private static final long QUIET_NANOS = 10_000_000_000L;

  private final Log log;
  private final Log access;
  private final boolean accessLog;
  private final Map<String, long[]> lastLogged = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> suppressed = new ConcurrentHashMap<>();

  ProxyLog(Log log, Log access, boolean accessLog) {
    this.log = log;
    this.access = access;
    this.accessLog = accessLog;
  }

  /** True when a line for {@code key} may be written now; else counts it as left out. */
  private boolean allowed(String key) {
    long now = System.nanoTime();
    long[] last = lastLogged.computeIfAbsent(key, k -> new long[] {now - QUIET_NANOS - 1});
    synchronized (last) {
      if (now - last[0] > QUIET_NANOS) {
        last[0] = now;
        return true;
      }
    }
    suppressed.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    return false;
  }

  private int leftOut(String key) {
    AtomicInteger n = suppressed.get(key);
    return n == null ? 0 : n.getAndSet(0);
  }

  @Override
  public void overflowed(Route route) {
    String key = "overflow|" + route.name();
    if (allowed(key)) {
      log.warn("connection refused: --max-connections open", "route", route.name(), "left_out", leftOut(key));
    }
  }

  @Override
  public void acceptFailed(Route route, Throwable cause) {
    String key = "accept|" + route.name();
    if (allowed(key)) {
      log.warn("accepting connections failed; trying again shortly", "route", route.name(), "error", reason(cause),
          "left_out", leftOut(key));
    }
  }

  @Override
  public void upstreamConnectFailed(Route route, InetSocketAddress address, Throwable cause, boolean timeout) {
    String key = "connect|" + address;
    if (allowed(key)) {
      log.warn("upstream connect failed", "route", route.name(), "upstream", text(address),
          "error", timeout ? "timeout" : reason(cause), "left_out", leftOut(key));
    }
  }

  @Override
  public void upstreamGaveUp(Route route, int attempts) {
    String key = "gaveup|" + route.name();
    if (allowed(key)) {
      log.warn("no upstream reached; client connection reset", "route", route.name(), "attempts", attempts,
          "left_out", leftOut(key));
    }
  }

  @Override
  public void addressEjected(Route route, InetSocketAddress address, int failures) {
    log.warn("upstream address ejected", "route", route.name(), "upstream", text(address), "failures", failures);
  }

  @Override
  public void tlsFailed(Route route, Side side, Throwable cause) {
    String key = "tls|" + route.name() + "|" + side.label();
    if (allowed(key)) {
      log.warn(side == Side.UPSTREAM ? "upstream TLS failed; client connection closed" : "client TLS handshake failed",
          "route", route.name(), "side", side.label(), "error", tlsReason(cause), "left_out", leftOut(key));
    }
  }

  @Override
  public void tlsReloaded(Route route, String side) {
    log.info("TLS files reloaded; new connections use them", "route", route.name(), "side", side);
  }

  @Override
  public void tlsReloadFailed(Route route, String side, String problem) {
    String key = "reload|" + route.name() + "|" + side;
    if (allowed(key)) {
      log.warn("TLS files changed but cannot be used; the previous ones stay in use", "route", route.name(),
          "side", side, "error", problem, "left_out", leftOut(key));
    }
  }

  @Override
  public void healthCheckFailed(Route route, InetSocketAddress address, Throwable cause) {
    String key = "check|" + route.name() + "|" + address;
    if (allowed(key)) {
      log.warn("upstream health check failed", "route", route.name(), "upstream", text(address), "error", reason(cause),
          "left_out", leftOut(key));
    }
  }

  @Override
  public void healthChanged(Route route, InetSocketAddress address, boolean up) {
    if (up) {
      log.info("upstream address up again (health checks)", "route", route.name(), "upstream", text(address));
    } else {
      log.warn("upstream address down (health checks); tried only after the others", "route", route.name(),
          "upstream", text(address));
    }
  }

  /** The innermost message: what the TLS engine said (the outer ones wrap it). */
  private static String tlsReason(Throwable t) {
    Throwable c = t;
    for (int depth = 0; depth < 16 && c.getCause() != null && c.getCause() != c; depth++) { // bounded: causes may loop
      c = c.getCause();
    }
    return reason(c);
  }

  @Override
  public void nameChanged(String host, List<InetAddress> addresses) {
    log.info("upstream name resolved", "host", host,
        "addresses", addresses.stream().map(InetAddress::getHostAddress).toList());
  }

  @Override
  public void nameFailed(String host, Throwable cause) {
    String key = "dns|" + host;
    if (allowed(key)) {
      log.warn("upstream name lookup failed; the last answer stays in use", "host", host, "error", reason(cause),
          "left_out", leftOut(key));
    }
  }

  @Override
  public void closed(ConnectionSummary s) {
    if (!accessLog) {
      return;
    }
    access.info("connection", "route", s.route().name(), "client", text(s.client()), "upstream", text(s.upstream()),
        "attempts", s.attempts(), "bytes_received", s.downstreamRxBytes(), "bytes_sent", s.upstreamRxBytes(),
        "duration_ms", s.durationNanos() / 1_000_000, "end", s.end().label());
  }

  static String text(SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      String h = i.getAddress().getHostAddress();
      return (h.contains(":") ? "[" + h + "]" : h) + ":" + i.getPort();
    }
    return a == null ? "" : a.toString();
  }

  private static String reason(Throwable t) {
    if (t == null) return "unknown";
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
