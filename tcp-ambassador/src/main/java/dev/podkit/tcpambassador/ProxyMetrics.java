package dev.podkit.tcpambassador;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's meters, named after Envoy's tcp_proxy and cluster statistics
 * ({@code podkit_tcp_ambassador_downstream_cx_total}, {@code ..._upstream_cx_connect_fail_total},
 * ...), each tagged with its route (the listen address): a bounded set made up front, so that the
 * event loops only increment.
 */
final class ProxyMetrics implements ProxyEvents {
  private static final String P = "podkit_tcp_ambassador_";

  /** One route's meters. */
  private static final class RouteMeters {
    final Counter downstreamCx;
    final AtomicLong downstreamActive = new AtomicLong();
    final Counter overflow;
    final Counter downstreamRx;
    final Counter downstreamTx;
    final Counter upstreamCx;
    final Counter connectFail;
    final Counter connectTimeout;
    final Counter attemptsExceeded;
    final Counter ejected;
    final Timer connectTime;
    final Counter idleTimeout;
    final Map<Side, Counter> paused = new EnumMap<>(Side.class);
    final Map<Side, Counter> resumed = new EnumMap<>(Side.class);
    final Map<End, Counter> ends = new EnumMap<>(End.class);
    final Map<Side, Counter> tlsFail = new EnumMap<>(Side.class);
    final Counter healthCheckFail;

    RouteMeters(MeterRegistry r, String route) {
      downstreamCx = counter(r, "downstream_cx", route, "Client connections accepted");
      Gauge.builder(P + "downstream_cx_active", downstreamActive, AtomicLong::get).tag("route", route)
          .description("Client connections open").register(r);
      overflow = counter(r, "downstream_cx_overflow", route, "Client connections refused: --max-connections open");
      downstreamRx = Counter.builder(P + "downstream_cx_rx").baseUnit("bytes").tag("route", route)
          .description("Bytes received from clients").register(r);
      downstreamTx = Counter.builder(P + "downstream_cx_tx").baseUnit("bytes").tag("route", route)
          .description("Bytes sent to clients").register(r);
      upstreamCx = counter(r, "upstream_cx", route, "Upstream connections established");
      connectFail = counter(r, "upstream_cx_connect_fail", route, "Upstream connection attempts that failed");
      connectTimeout = counter(r, "upstream_cx_connect_timeout", route, "Upstream connection attempts that timed out");
      attemptsExceeded = counter(r, "upstream_cx_connect_attempts_exceeded", route,
          "Client connections reset because every upstream attempt failed");
      ejected = counter(r, "upstream_cx_ejected", route, "Upstream addresses skipped after consecutive failures");
      connectTime = Timer.builder(P + "upstream_cx_connect").tag("route", route)
          .description("Time to establish an upstream connection")
          .serviceLevelObjectives(ms(1), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000),
              ms(2500), ms(5000), ms(10000))
          .register(r);
      idleTimeout = counter(r, "downstream_cx_idle_timeout", route, "Connections closed by the idle timeout");
      for (Side s : Side.values()) {
        paused.put(s, Counter.builder(P + s.label() + "_flow_control_paused_reading").tag("route", route)
            .description("Times reading paused because the other side was not taking data").register(r));
        resumed.put(s, Counter.builder(P + s.label() + "_flow_control_resumed_reading").tag("route", route)
            .description("Times reading resumed").register(r));
      }
      for (Side s : Side.values()) {
        tlsFail.put(s, Counter.builder(P + "tls_fail").tag("route", route).tag("side", s.label())
            .description("Connections closed because TLS with this side failed (handshake, verification)").register(r));
      }
      healthCheckFail = counter(r, "upstream_health_check_fail", route, "Active health checks that failed");
      for (End e : End.values()) {
        ends.put(e, Counter.builder(P + "cx_end").tag("route", route).tag("end", e.label())
            .description("Finished connections by how they ended").register(r));
      }
    }

    private static Counter counter(MeterRegistry r, String name, String route, String description) {
      return Counter.builder(P + name).tag("route", route).description(description).register(r);
    }

    private static Duration ms(long n) {
      return Duration.ofMillis(n);
    }
  }

  private final MeterRegistry registry;
  private final Map<String, RouteMeters> routes = new HashMap<>();
  // The same meters by route instance: of() runs for every read batch, and Route.name() builds a
  // string each time. Filled in the constructor, read only afterwards.
  private final Map<Route, RouteMeters> byRoute = new IdentityHashMap<>();
  private final Map<String, Counter> dnsChanges = new ConcurrentHashMap<>();
  private final Map<String, Counter> dnsFailures = new ConcurrentHashMap<>();
  private final Map<String, Counter> reloads = new ConcurrentHashMap<>();

  ProxyMetrics(MeterRegistry registry, List<Route> routes) {
    this.registry = registry;
    for (Route r : routes) {
      RouteMeters m = new RouteMeters(registry, r.name());
      this.routes.put(r.name(), m);
      byRoute.put(r, m);
    }
  }

  /**
   * Exports when the certificates of {@code route} in {@code role} expire ({@code listener},
   * {@code listener_client_ca}, {@code upstream_client}, {@code upstream_ca}); the value follows
   * reloads.
   */
  void certificateExpiry(Route route, String role, java.util.function.LongSupplier notAfterEpochSeconds) {
    Gauge.builder(P + "tls_cert_not_after_seconds", notAfterEpochSeconds::getAsLong).tag("route", route.name())
        .tag("role", role).description("When the certificate expires (the earliest of a CA file), seconds since the epoch")
        .register(registry);
  }

  /** Exports how many addresses of {@code route} active health checks hold down. */
  void endpointsDown(Route route, java.util.function.IntSupplier down) {
    Gauge.builder(P + "upstream_endpoints_down", down::getAsInt).tag("route", route.name())
        .description("Upstream addresses that active health checks marked down").register(registry);
  }

  @Override public void tlsFailed(Route r, Side side, Throwable cause) { of(r).tlsFail.get(side).increment(); }

  @Override public void tlsReloaded(Route r, String side) {
    reloads.computeIfAbsent(r.name() + "|" + side + "|ok", k -> Counter.builder(P + "tls_reloads").tag("route", r.name())
        .tag("side", side).tag("result", "ok").description("TLS file changes loaded, or refused").register(registry))
        .increment();
  }

  @Override public void tlsReloadFailed(Route r, String side, String problem) {
    reloads.computeIfAbsent(r.name() + "|" + side + "|bad", k -> Counter.builder(P + "tls_reloads").tag("route", r.name())
        .tag("side", side).tag("result", "bad").description("TLS file changes loaded, or refused").register(registry))
        .increment();
  }

  @Override public void healthCheckFailed(Route r, InetSocketAddress a, Throwable cause) { of(r).healthCheckFail.increment(); }

  private RouteMeters of(Route r) {
    RouteMeters m = byRoute.get(r);
    return m != null ? m : routes.get(r.name());
  }

  @Override public void accepted(Route r) {
    RouteMeters m = of(r);
    m.downstreamCx.increment();
    m.downstreamActive.incrementAndGet();
  }

  @Override public void overflowed(Route r) { of(r).overflow.increment(); }

  @Override public void upstreamConnected(Route r, InetSocketAddress a, long nanos) {
    RouteMeters m = of(r);
    m.upstreamCx.increment();
    m.connectTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override public void upstreamConnectFailed(Route r, InetSocketAddress a, Throwable cause, boolean timeout) {
    RouteMeters m = of(r);
    m.connectFail.increment();
    if (timeout) m.connectTimeout.increment();
  }

  @Override public void upstreamGaveUp(Route r, int attempts) { of(r).attemptsExceeded.increment(); }
  @Override public void addressEjected(Route r, InetSocketAddress a, int failures) { of(r).ejected.increment(); }

  @Override public void received(Route r, Side side, long bytes) {
    RouteMeters m = of(r);
    (side == Side.DOWNSTREAM ? m.downstreamRx : m.downstreamTx).increment(bytes);
  }

  @Override public void readingPaused(Route r, Side side) { of(r).paused.get(side).increment(); }
  @Override public void readingResumed(Route r, Side side) { of(r).resumed.get(side).increment(); }

  @Override public void closed(ConnectionSummary s) {
    RouteMeters m = of(s.route());
    m.downstreamActive.decrementAndGet();
    m.ends.get(s.end()).increment();
    if (s.end() == End.IDLE_TIMEOUT) m.idleTimeout.increment();
  }

  @Override public void nameChanged(String host, List<InetAddress> addresses) {
    dnsChanges.computeIfAbsent(host, h -> Counter.builder(P + "dns_answer_changes").tag("host", h)
        .description("Times an upstream name resolved to a different set of addresses").register(registry)).increment();
  }

  @Override public void nameFailed(String host, Throwable cause) {
    dnsFailures.computeIfAbsent(host, h -> Counter.builder(P + "dns_failures").tag("host", h)
        .description("Upstream name lookups that failed (the last answer stays in use)").register(registry)).increment();
  }
}
