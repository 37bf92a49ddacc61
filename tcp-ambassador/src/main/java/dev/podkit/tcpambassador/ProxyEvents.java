package dev.podkit.tcpambassador;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the proxy reports as it goes. The production implementations turn these into meters and
 * log lines; tests record them. Called from the event loops (several threads at once):
 * implementations are thread-safe and quick. Every method has a no-op default.
 */
interface ProxyEvents {
  /** A client connection was accepted on {@code route}. */
  default void accepted(Route route) {}

  /** A client connection was refused because --max-connections were open. */
  default void overflowed(Route route) {}

  /** Accepting on {@code route}'s listener failed (out of descriptors, say); it pauses and tries again. */
  default void acceptFailed(Route route, Throwable cause) {}

  /** An upstream connection to {@code address} was established after {@code connectNanos}. */
  default void upstreamConnected(Route route, InetSocketAddress address, long connectNanos) {}

  /** A connection attempt to {@code address} failed ({@code timeout}: it took too long). */
  default void upstreamConnectFailed(Route route, InetSocketAddress address, Throwable cause, boolean timeout) {}

  /** Every attempt for one client connection failed; the client is reset. */
  default void upstreamGaveUp(Route route, int attempts) {}

  /** {@code address} failed {@code failures} times in a row and is skipped for a while. */
  default void addressEjected(Route route, InetSocketAddress address, int failures) {}

  /** {@code bytes} were read from {@code side} (and passed to the other side). */
  default void received(Route route, Side side, long bytes) {}

  /** Reading from {@code side} paused: the other side does not take data fast enough. */
  default void readingPaused(Route route, Side side) {}

  /** Reading from {@code side} resumed. */
  default void readingResumed(Route route, Side side) {}

  /** TLS with {@code side} failed (handshake, certificate not trusted, no client certificate...); the connection is closed. */
  default void tlsFailed(Route route, Side side, Throwable cause) {}

  /** The TLS files of {@code route}'s {@code side} ({@code listener} or {@code upstream}) changed and were loaded. */
  default void tlsReloaded(Route route, String side) {}

  /** The TLS files of {@code route}'s {@code side} changed but cannot be used; the previous ones stay in use. */
  default void tlsReloadFailed(Route route, String side, String problem) {}

  /** An active health check of {@code address} failed. */
  default void healthCheckFailed(Route route, InetSocketAddress address, Throwable cause) {}

  /** Active health checks marked {@code address} down (tried last) or up again. */
  default void healthChanged(Route route, InetSocketAddress address, boolean up) {}

  /** A connection finished; {@code summary} says how. */
  default void closed(ConnectionSummary summary) {}

  /** {@code host} resolved to {@code addresses}, which differ from its previous answer. */
  default void nameChanged(String host, List<InetAddress> addresses) {}

  /** {@code host} could not be resolved; the previous answer, if any, stays in use. */
  default void nameFailed(String host, Throwable cause) {}

  /** Sends each event to every one of {@code all}. */
  static ProxyEvents of(ProxyEvents... all) {
    return new ProxyEvents() {
      @Override public void accepted(Route r) { for (ProxyEvents e : all) e.accepted(r); }
      @Override public void overflowed(Route r) { for (ProxyEvents e : all) e.overflowed(r); }
      @Override public void acceptFailed(Route r, Throwable c) { for (ProxyEvents e : all) e.acceptFailed(r, c); }
      @Override public void upstreamConnected(Route r, InetSocketAddress a, long n) { for (ProxyEvents e : all) e.upstreamConnected(r, a, n); }
      @Override public void upstreamConnectFailed(Route r, InetSocketAddress a, Throwable c, boolean t) { for (ProxyEvents e : all) e.upstreamConnectFailed(r, a, c, t); }
      @Override public void upstreamGaveUp(Route r, int n) { for (ProxyEvents e : all) e.upstreamGaveUp(r, n); }
      @Override public void addressEjected(Route r, InetSocketAddress a, int n) { for (ProxyEvents e : all) e.addressEjected(r, a, n); }
      @Override public void received(Route r, Side s, long b) { for (ProxyEvents e : all) e.received(r, s, b); }
      @Override public void readingPaused(Route r, Side s) { for (ProxyEvents e : all) e.readingPaused(r, s); }
      @Override public void readingResumed(Route r, Side s) { for (ProxyEvents e : all) e.readingResumed(r, s); }
      @Override public void tlsFailed(Route r, Side s, Throwable c) { for (ProxyEvents e : all) e.tlsFailed(r, s, c); }
      @Override public void tlsReloaded(Route r, String s) { for (ProxyEvents e : all) e.tlsReloaded(r, s); }
      @Override public void tlsReloadFailed(Route r, String s, String p) { for (ProxyEvents e : all) e.tlsReloadFailed(r, s, p); }
      @Override public void healthCheckFailed(Route r, InetSocketAddress a, Throwable c) { for (ProxyEvents e : all) e.healthCheckFailed(r, a, c); }
      @Override public void healthChanged(Route r, InetSocketAddress a, boolean u) { for (ProxyEvents e : all) e.healthChanged(r, a, u); }
      @Override public void closed(ConnectionSummary s) { for (ProxyEvents e : all) e.closed(s); }
      @Override public void nameChanged(String h, List<InetAddress> a) { for (ProxyEvents e : all) e.nameChanged(h, a); }
      @Override public void nameFailed(String h, Throwable c) { for (ProxyEvents e : all) e.nameFailed(h, c); }
    };
  }
}
