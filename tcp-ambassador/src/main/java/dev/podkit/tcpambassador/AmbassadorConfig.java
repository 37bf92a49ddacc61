package dev.podkit.tcpambassador;

import static dev.podkit.tcpambassador.AmbassadorOptions.ACCESS_LOG;
import static dev.podkit.tcpambassador.AmbassadorOptions.BACKLOG;
import static dev.podkit.tcpambassador.AmbassadorOptions.CONFIG;
import static dev.podkit.tcpambassador.AmbassadorOptions.CONNECT_TIMEOUT;
import static dev.podkit.tcpambassador.AmbassadorOptions.DNS_MAX_TTL;
import static dev.podkit.tcpambassador.AmbassadorOptions.DNS_REFRESH;
import static dev.podkit.tcpambassador.AmbassadorOptions.DNS_SERVER;
import static dev.podkit.tcpambassador.AmbassadorOptions.DRAIN_DELAY;
import static dev.podkit.tcpambassador.AmbassadorOptions.EJECT_AFTER;
import static dev.podkit.tcpambassador.AmbassadorOptions.EJECT_TIME;
import static dev.podkit.tcpambassador.AmbassadorOptions.EVENT_LOOPS;
import static dev.podkit.tcpambassador.AmbassadorOptions.HALF_CLOSE_TIMEOUT;
import static dev.podkit.tcpambassador.AmbassadorOptions.HEALTH_CHECK_FALL;
import static dev.podkit.tcpambassador.AmbassadorOptions.HEALTH_CHECK_INTERVAL;
import static dev.podkit.tcpambassador.AmbassadorOptions.HEALTH_CHECK_RISE;
import static dev.podkit.tcpambassador.AmbassadorOptions.HEALTH_CHECK_TIMEOUT;
import static dev.podkit.tcpambassador.AmbassadorOptions.IDLE_TIMEOUT;
import static dev.podkit.tcpambassador.AmbassadorOptions.KEEPALIVE_IDLE;
import static dev.podkit.tcpambassador.AmbassadorOptions.MAX_CONNECTIONS;
import static dev.podkit.tcpambassador.AmbassadorOptions.NO_SPLICE;
import static dev.podkit.tcpambassador.AmbassadorOptions.RETRIES;
import static dev.podkit.tcpambassador.AmbassadorOptions.RETRY_BACKOFF;
import static dev.podkit.tcpambassador.AmbassadorOptions.TLS_HANDSHAKE_TIMEOUT;
import static dev.podkit.tcpambassador.AmbassadorOptions.TLS_PROVIDER;
import static dev.podkit.tcpambassador.AmbassadorOptions.TLS_RELOAD_INTERVAL;
import static dev.podkit.tcpambassador.AmbassadorOptions.TRANSPORT;
import static dev.podkit.tcpambassador.AmbassadorOptions.WRITE_BUFFER_BYTES;

import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.CommonOptions;
import dev.podkit.runtime.Durations;
import dev.podkit.runtime.Option;
import dev.podkit.runtime.Options;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * tcp-ambassador's settings, from flags, environment, socat addresses and a route file, validated
 * up front: every problem is reported at once.
 *
 * @param routes what to listen on and where to forward, at least one, listen addresses distinct
 * @param connect upstream connection attempts: timeout, retries, backoff, ejection
 * @param relay timeouts and buffer bounds of a proxied connection
 * @param dns how upstream names are resolved
 * @param maxConnections open client connections at most (all routes together); further ones are
 *     closed at once and {@code /readyz} fails while full; 0 means no limit
 * @param backlog the listen backlog
 * @param transport epoll, NIO, or epoll when available
 * @param eventLoops threads that move bytes
 * @param accessLog one JSON line per finished connection
 * @param drainDelay after SIGTERM, how long listeners keep accepting before the drain starts
 * @param shutdownTimeout after SIGTERM, the most the whole stop may take; connections still open
 *     then are closed
 * @param admin where the admin endpoint listens, or null when off
 * @param tlsProvider the TLS implementation (BoringSSL or the JDK's)
 * @param tlsReload how often TLS files are checked for changes; zero means never
 * @param tlsHandshakeTimeout the most a TLS handshake (either side) may take
 * @param healthCheck active health checks of upstream addresses
 */
record AmbassadorConfig(List<Route> routes, ConnectPolicy connect, RelayPolicy relay, DnsPolicy dns,
    int maxConnections, int backlog, Transport transport, int eventLoops, boolean accessLog,
    Duration drainDelay, Duration shutdownTimeout, InetSocketAddress admin, SslProvider tlsProvider,
    Duration tlsReload, Duration tlsHandshakeTimeout, HealthCheckPolicy healthCheck) {

  /** The options every helper has, with tcp-ambassador's admin port; declared in {@link AmbassadorOptions}. */
  static final CommonOptions COMMON = AmbassadorOptions.COMMON;

  /** The network transport. */
  enum Transport { AUTO, EPOLL, NIO }

  /** tcp-ambassador's command line, ready to parse; see {@link AmbassadorOptions}. */
  static Options options(String version) {
    return AmbassadorOptions.options(version);
  }

  /** Builds the config; every problem found is added to {@code problems} (then the result is null). */
  static AmbassadorConfig from(Options.Parsed p, List<String> problems) {
    problems.addAll(p.problems());
    List<Route> routes = new ArrayList<>();
    Integer backlog = p.get(BACKLOG);
    Integer maxConnections = p.get(MAX_CONNECTIONS);
    Duration connectTimeout = p.get(CONNECT_TIMEOUT);

    // (1) socat's two addresses as positional arguments (a leading "socat" word is dropped).
    List<String> args = new ArrayList<>(p.arguments());
    if (!args.isEmpty() && args.getFirst().equals("socat")) {
      args.removeFirst();
    }
    if (!args.isEmpty()) {
      if (args.size() != 2) {
        problems.add("want two socat addresses (TCP-LISTEN:PORT,... TCP:HOST:PORT), got " + args.size() + ": "
            + String.join(" ", args));
      } else {
        SocatAddresses.Parsed s = SocatAddresses.parse(args.get(0), args.get(1), problems);
        if (s != null) {
          routes.add(s.route());
          backlog = fromSocat(p, BACKLOG, s.backlog(), backlog, "backlog", problems);
          maxConnections = fromSocat(p, MAX_CONNECTIONS, s.maxConnections(), maxConnections, "max-children", problems);
          connectTimeout = fromSocat(p, CONNECT_TIMEOUT, s.connectTimeout(), connectTimeout, "connect-timeout", problems);
        }
      }
    }

    // (2) --listen / --upstream pairs.
    routes.addAll(FlagRoutes.read(p, problems));

    // (3) The route file.
    if (!p.get(CONFIG).isEmpty()) {
      routes.addAll(RouteFile.read(Path.of(p.get(CONFIG)), problems));
    }
    if (routes.isEmpty() && problems.isEmpty()) {
      problems.add("no route given (for example: --listen :6379 --upstream redis:6379, or socat's "
          + "TCP-LISTEN:6379,fork TCP:redis:6379)");
    }
    Set<Integer> ports = new HashSet<>();
    for (Route r : routes) {
      if (!ports.add(r.listen().port())) {
        problems.add("port " + r.listen().port() + " is the listen port of more than one route");
      }
      // A listen address is one of this host's: a name that does not resolve is found now, with
      // the other problems, rather than when binding.
      HostPort l = r.listen();
      if (!l.anyHost() && new InetSocketAddress(l.host(), l.port()).isUnresolved()) {
        problems.add("listen address " + l + ": the name '" + l.host() + "' does not resolve");
      }
    }
    // (4) TLS files: every route's are read and checked now (unreadable, not PEM, a key that is
    // not the certificate's), so that each problem is listed before anything starts.
    boolean anyTls = routes.stream().anyMatch(r -> r.tls() != null || r.listenTls() != null);
    SslProvider provider = anyTls || p.isSet(TLS_PROVIDER) ? p.get(TLS_PROVIDER).resolve(problems) : SslProvider.JDK;
    TlsContexts.load(routes, provider, p.get(TLS_HANDSHAKE_TIMEOUT), problems);
    if (p.get(TLS_HANDSHAKE_TIMEOUT).isZero()) {
      problems.add("--tls-handshake-timeout must be positive");
    }
    if (p.get(HEALTH_CHECK_INTERVAL).isPositive() && p.get(HEALTH_CHECK_TIMEOUT).isZero()) {
      problems.add("--health-check-timeout must be positive");
    }
    if (connectTimeout.isZero()) {
      problems.add("--connect-timeout must be positive");
    }
    if (p.get(RETRY_BACKOFF).isZero()) {
      problems.add("--retry-backoff must be positive");
    }
    List<InetSocketAddress> dnsServers = new ArrayList<>();
    for (String s : p.all(DNS_SERVER)) {
      HostPort hp = HostPort.parse(s.contains(":") && !s.endsWith("]") ? s : s + ":53", false, "--dns-server", problems);
      if (hp != null) dnsServers.add(new InetSocketAddress(hp.host(), hp.port()));
    }
    InetSocketAddress admin = COMMON.adminAddress(p, problems);
    Duration shutdown = p.get(COMMON.shutdownTimeout());
    if (p.get(DRAIN_DELAY).compareTo(shutdown) >= 0) {
      problems.add("--drain-delay (" + Durations.format(p.get(DRAIN_DELAY)) + ") must be shorter than --shutdown-timeout ("
          + Durations.format(shutdown) + ")");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    Duration retryMax = Duration.ofSeconds(1).compareTo(p.get(RETRY_BACKOFF)) < 0 ? p.get(RETRY_BACKOFF) : Duration.ofSeconds(1);
    ConnectPolicy connect = new ConnectPolicy(connectTimeout, p.get(RETRIES), new Backoff(p.get(RETRY_BACKOFF), 2, retryMax),
        p.get(EJECT_AFTER), p.get(EJECT_TIME));
    RelayPolicy relay = new RelayPolicy(p.get(IDLE_TIMEOUT), p.get(HALF_CLOSE_TIMEOUT), p.get(WRITE_BUFFER_BYTES),
        p.get(KEEPALIVE_IDLE), !p.get(NO_SPLICE));
    DnsPolicy dns = new DnsPolicy(List.copyOf(dnsServers), p.get(DNS_MAX_TTL), p.get(DNS_REFRESH));
    int loops = p.get(EVENT_LOOPS) == 0 ? Runtime.getRuntime().availableProcessors() : p.get(EVENT_LOOPS);
    HealthCheckPolicy health = new HealthCheckPolicy(p.get(HEALTH_CHECK_INTERVAL), p.get(HEALTH_CHECK_TIMEOUT),
        p.get(HEALTH_CHECK_FALL), p.get(HEALTH_CHECK_RISE));
    return new AmbassadorConfig(List.copyOf(routes), connect, relay, dns, maxConnections, backlog, p.get(TRANSPORT),
        loops, p.get(ACCESS_LOG), p.get(DRAIN_DELAY), shutdown, admin, provider, p.get(TLS_RELOAD_INTERVAL),
        p.get(TLS_HANDSHAKE_TIMEOUT), health);
  }

  /** A socat option's value, unless the flag was also set: then the two must agree. */
  private static <T> T fromSocat(Options.Parsed p, Option<T> flag, T socat, T current, String socatName,
      List<String> problems) {
    if (socat == null) {
      return current;
    }
    if (p.isSet(flag) && !p.get(flag).equals(socat)) {
      problems.add("--" + flag.name() + " and socat's " + socatName + "= disagree; give one of them");
      return current;
    }
    return socat;
  }
}
