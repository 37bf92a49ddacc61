package dev.podkit.tcpambassador;

import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The TLS contexts of every route: the listener's (termination) and the upstream's
 * (origination), loaded from their files with every problem of every route listed.
 */
final class TlsContexts {
  private final Map<Route, UpstreamTlsContext> upstream = new LinkedHashMap<>();
  private final Map<Route, ListenerTlsContext> listener = new LinkedHashMap<>();
  private final SslProvider provider;

  private TlsContexts(SslProvider provider) {
    this.provider = provider;
  }

  /** None: for routes without TLS. */
  static TlsContexts none() {
    return new TlsContexts(SslProvider.JDK);
  }

  /** Loads the contexts of {@code routes}; problems go to {@code problems}. */
  static TlsContexts load(List<Route> routes, SslProvider provider, Duration handshakeTimeout, List<String> problems) {
    TlsContexts c = new TlsContexts(provider);
    for (Route r : routes) {
      if (r.listenTls() != null) {
        ListenerTlsContext l = new ListenerTlsContext(r.name(), r.listenTls(), provider, handshakeTimeout);
        if (l.load(problems)) c.listener.put(r, l);
      }
      if (r.tls() != null) {
        UpstreamTlsContext u = new UpstreamTlsContext(r.name(), r.tls(), provider, handshakeTimeout);
        if (u.load(problems)) c.upstream.put(r, u);
      }
    }
    return c;
  }

  /** The upstream context of {@code route}, or null for plain TCP. */
  UpstreamTlsContext upstream(Route route) {
    return upstream.get(route);
  }

  /** The listener context of {@code route}, or null for plain TCP. */
  ListenerTlsContext listener(Route route) {
    return listener.get(route);
  }

  boolean isEmpty() {
    return upstream.isEmpty() && listener.isEmpty();
  }

  /** The provider in use, as logs name it ({@code boringssl}, {@code jdk}), or {@code none} without TLS. */
  String providerLabel() {
    return isEmpty() ? "none" : TlsEngine.label(provider);
  }

  /** Every context with its route and side ({@code listener} or {@code upstream}). */
  void forEach(BiConsumer<Route, Map.Entry<String, ReloadingTls>> action) {
    listener.forEach((r, c) -> action.accept(r, Map.entry("listener", c)));
    upstream.forEach((r, c) -> action.accept(r, Map.entry("upstream", c)));
  }
}
