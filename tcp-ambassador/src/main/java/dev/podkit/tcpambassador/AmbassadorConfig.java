package dev.podkit.tcpambassador;

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

  static final int ADMIN_PORT = 9402;
  static final CommonOptions COMMON = CommonOptions.withAdminPort(ADMIN_PORT, Duration.ofSeconds(25));

  /** The network transport. */
  enum Transport { AUTO, EPOLL, NIO }

  static final Option<String> LISTEN = Option.text("listen", "[HOST]:PORT", "",
      "Accept connections here; repeatable, the n-th --listen forwards to the n-th --upstream.").repeatable();
  static final Option<String> UPSTREAM = Option.text("upstream", "HOST:PORT[,HOST:PORT...]", "",
      "Forward to these endpoints (comma-separated for several of one route); repeatable.").repeatable();
  static final Option<String> CONFIG = Option.text("config", "PATH", "",
      "Routes from a YAML or JSON file (routes: [{listen, upstream, balance, family, proxy-protocol, tls}]).");
  static final Option<Route.Balance> BALANCE = Option.choice("balance", Route.Balance.class, Route.Balance.ROUND_ROBIN,
      "How an upstream address is chosen for routes given by flags.");
  static final Option<Route.ProxyProtocol> PROXY_PROTOCOL = Option.choice("proxy-protocol", Route.ProxyProtocol.class,
      Route.ProxyProtocol.OFF, "Send a PROXY protocol header to the upstream, for routes given by flags.");
  static final Option<Boolean> UPSTREAM_TLS = Option.flag("upstream-tls",
      "Speak TLS to the upstreams of routes given by flags (verified, with SNI).");
  static final Option<String> UPSTREAM_CA_FILE = Option.text("upstream-ca-file", "PATH", "",
      "PEM certificates to trust for upstream TLS instead of the runtime's roots.");
  static final Option<String> UPSTREAM_CERT = Option.text("upstream-cert", "PATH", "",
      "Client certificate chain (PEM) for mutual TLS to the upstream.");
  static final Option<String> UPSTREAM_KEY = Option.text("upstream-key", "PATH", "",
      "The client certificate's private key (PEM, PKCS#8).");
  static final Option<String> UPSTREAM_SERVER_NAME = Option.text("upstream-server-name", "NAME", "",
      "Name sent as SNI and checked in the upstream's certificate (default: the upstream host).");
  static final Option<Boolean> UPSTREAM_INSECURE = Option.flag("upstream-insecure",
      "Do not verify the upstream's certificate. For tests only.");
  static final Option<String> LISTEN_TLS_CERT = Option.text("listen-tls-cert", "PATH", "",
      "Terminate TLS on the listeners of routes given by flags: the server certificate chain (PEM).");
  static final Option<String> LISTEN_TLS_KEY = Option.text("listen-tls-key", "PATH", "",
      "The server certificate's private key (PEM, PKCS#8); default: in --listen-tls-cert.");
  static final Option<String> LISTEN_TLS_CLIENT_CA = Option.text("listen-tls-client-ca", "PATH", "",
      "Require clients of TLS listeners to present a certificate issued by these CAs (PEM).");
  static final Option<TlsEngine> TLS_PROVIDER = Option.choice("tls-provider", TlsEngine.class, TlsEngine.AUTO,
      "TLS implementation: BoringSSL (openssl), the JDK's (jdk), or BoringSSL when it loads (auto).");
  static final Option<Duration> TLS_RELOAD_INTERVAL = Option.duration("tls-reload-interval", Duration.ofSeconds(5),
      "How often TLS certificate, key and CA files are checked for changes (then reloaded); 0 never.");
  static final Option<Duration> TLS_HANDSHAKE_TIMEOUT = Option.duration("tls-handshake-timeout", Duration.ofSeconds(10),
      "The most a TLS handshake with a client or an upstream may take.");
  static final Option<Duration> HEALTH_CHECK_INTERVAL = Option.duration("health-check-interval", Duration.ZERO,
      "Active TCP health checks: connect to every upstream address this often; 0 turns them off.");
  static final Option<Duration> HEALTH_CHECK_TIMEOUT = Option.duration("health-check-timeout", Duration.ofSeconds(1),
      "The most one health check connect may take.");
  static final Option<Integer> HEALTH_CHECK_FALL = Option.integer("health-check-fall", 3, 1, 100,
      "Failed checks in a row that mark an address down (tried only when all others are down too).");
  static final Option<Integer> HEALTH_CHECK_RISE = Option.integer("health-check-rise", 2, 1, 100,
      "Good checks in a row that mark a down address up again.");
  static final Option<Duration> CONNECT_TIMEOUT = Option.duration("connect-timeout", Duration.ofSeconds(5),
      "The most one upstream connection attempt may take.");
  static final Option<Integer> RETRIES = Option.integer("retries", 3, 0, 100,
      "Attempts after a failed upstream connect, each on the next address.");
  static final Option<Duration> RETRY_BACKOFF = Option.duration("retry-backoff", Duration.ofMillis(50),
      "Pause before the first retry; it doubles for each further one, up to 1s.");
  static final Option<Integer> EJECT_AFTER = Option.integer("eject-after", 5, 0, 1000,
      "Consecutive failed connects after which an address is skipped for --eject-time; 0 never.");
  static final Option<Duration> EJECT_TIME = Option.duration("eject-time", Duration.ofSeconds(30),
      "How long an ejected address is skipped (unless all are).");
  static final Option<Duration> IDLE_TIMEOUT = Option.duration("idle-timeout", Duration.ofHours(1),
      "Close a connection with no byte either way for this long; 0 never.");
  static final Option<Duration> HALF_CLOSE_TIMEOUT = Option.duration("half-close-timeout", Duration.ofSeconds(30),
      "Once one side sent its FIN, close after this long without a byte from the other; 0 uses --idle-timeout.");
  static final Option<Integer> WRITE_BUFFER_BYTES = Option.integer("write-buffer-bytes", 64 * 1024, 4096, 16 << 20,
      "Bytes queued towards one side before reading from the other pauses (memory bound per connection).");
  static final Option<Duration> KEEPALIVE_IDLE = Option.duration("keepalive-idle", Duration.ofSeconds(60),
      "TCP keepalive idle time on both sockets; 0 turns keepalive off.");
  static final Option<Integer> MAX_CONNECTIONS = Option.integer("max-connections", 0, 0, 10_000_000,
      "Open client connections at most; more are closed at once and /readyz fails while full. 0: no limit.");
  static final Option<Integer> BACKLOG = Option.integer("backlog", 1024, 1, 65535,
      "The listen backlog (socat's default is 5).");
  static final Option<String> DNS_SERVER = Option.text("dns-server", "HOST:PORT", "",
      "A name server to ask instead of those in /etc/resolv.conf; repeatable.").repeatable();
  static final Option<Duration> DNS_MAX_TTL = Option.duration("dns-max-ttl", Duration.ofSeconds(30),
      "The longest a DNS answer is used, whatever its TTL.");
  static final Option<Duration> DNS_REFRESH = Option.duration("dns-refresh", Duration.ofSeconds(5),
      "How often upstream names are re-resolved in the background; 0 only when connections need them.");
  static final Option<Transport> TRANSPORT = Option.choice("transport", Transport.class, Transport.AUTO,
      "Native epoll on Linux, or Java NIO; auto takes epoll when it loads.");
  static final Option<Integer> EVENT_LOOPS = Option.integer("event-loops", 0, 0, 256,
      "Threads that move bytes; 0 means one per CPU.");
  static final Option<Boolean> ACCESS_LOG = Option.flag("access-log",
      "Log one JSON line per finished connection (bytes, duration, upstream, how it ended).");
  static final Option<Duration> DRAIN_DELAY = Option.duration("drain-delay", Duration.ZERO,
      "After SIGTERM, keep accepting connections this long before draining (classic sidecars).");

  static final String DESCRIPTION = """
      Accepts TCP connections and relays each to an upstream: socat TCP-LISTEN,fork done right.
      Upstream names are re-resolved for new connections (TTL-aware), every resolved address is
      used, failed connects are retried on the next address, half-closed connections keep their
      reply, backpressure bounds memory, and SIGTERM drains open connections.

      Routes, any mix of:
        --listen :6379 --upstream my-redis.example.com:6379
        TCP-LISTEN:6379,fork,reuseaddr TCP:my-redis.example.com:6379   (socat's arguments, unchanged)
        OPENSSL:db.example.com:5432,cafile=/ca.pem,cert=/tls/client.pem  (TLS to the upstream)
        OPENSSL-LISTEN:8443,cert=/tls/server.pem,cafile=/ca.pem TCP:localhost:8080  (TLS on the listener)
        --config /etc/tcp-ambassador/routes.yaml
      socat options that tcp-ambassador does not honour are errors, never ignored.

      Exit codes: 0 stopped by SIGTERM after draining, 1 failure, 2 bad flags or configuration.
      """;

  static Options options(String version) {
    List<Option<?>> all = new ArrayList<>(List.of(LISTEN, UPSTREAM, CONFIG, BALANCE, PROXY_PROTOCOL, UPSTREAM_TLS,
        UPSTREAM_CA_FILE, UPSTREAM_CERT, UPSTREAM_KEY, UPSTREAM_SERVER_NAME, UPSTREAM_INSECURE, LISTEN_TLS_CERT,
        LISTEN_TLS_KEY, LISTEN_TLS_CLIENT_CA, TLS_PROVIDER, TLS_RELOAD_INTERVAL, TLS_HANDSHAKE_TIMEOUT,
        HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_FALL, HEALTH_CHECK_RISE, CONNECT_TIMEOUT,
        RETRIES, RETRY_BACKOFF, EJECT_AFTER, EJECT_TIME, IDLE_TIMEOUT, HALF_CLOSE_TIMEOUT, WRITE_BUFFER_BYTES,
        KEEPALIVE_IDLE, MAX_CONNECTIONS, BACKLOG, DNS_SERVER, DNS_MAX_TTL, DNS_REFRESH, TRANSPORT, EVENT_LOOPS,
        ACCESS_LOG, DRAIN_DELAY));
    all.addAll(COMMON.all());
    return new Options("tcp-ambassador", version, "[options] [TCP-LISTEN:PORT,... TCP:HOST:PORT]", DESCRIPTION, all);
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
    routes.addAll(flagRoutes(p, problems));

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
        p.get(KEEPALIVE_IDLE));
    DnsPolicy dns = new DnsPolicy(List.copyOf(dnsServers), p.get(DNS_MAX_TTL), p.get(DNS_REFRESH));
    int loops = p.get(EVENT_LOOPS) == 0 ? Runtime.getRuntime().availableProcessors() : p.get(EVENT_LOOPS);
    HealthCheckPolicy health = new HealthCheckPolicy(p.get(HEALTH_CHECK_INTERVAL), p.get(HEALTH_CHECK_TIMEOUT),
        p.get(HEALTH_CHECK_FALL), p.get(HEALTH_CHECK_RISE));
    return new AmbassadorConfig(List.copyOf(routes), connect, relay, dns, maxConnections, backlog, p.get(TRANSPORT),
        loops, p.get(ACCESS_LOG), p.get(DRAIN_DELAY), shutdown, admin, provider, p.get(TLS_RELOAD_INTERVAL),
        p.get(TLS_HANDSHAKE_TIMEOUT), health);
  }

  private static List<Route> flagRoutes(Options.Parsed p, List<String> problems) {
    List<String> listens = p.all(LISTEN);
    List<String> upstreams = p.all(UPSTREAM);
    if (listens.isEmpty() && upstreams.isEmpty()) {
      return List.of();
    }
    if (listens.isEmpty() || upstreams.isEmpty()
        || (listens.size() != upstreams.size() && listens.size() != 1)) {
      problems.add("give one --upstream per --listen (" + listens.size() + " --listen, " + upstreams.size()
          + " --upstream); several endpoints of one route go comma-separated in one --upstream");
      return List.of();
    }
    UpstreamTls tls = flagTls(p);
    if (tls != null && tls.keyFile() != null && tls.certFile() == null) {
      problems.add("--upstream-key needs --upstream-cert");
    }
    ListenerTls listenTls = null;
    if (!p.get(LISTEN_TLS_CERT).isEmpty()) {
      listenTls = new ListenerTls(path(p.get(LISTEN_TLS_CERT)), path(p.get(LISTEN_TLS_KEY)),
          path(p.get(LISTEN_TLS_CLIENT_CA)));
    } else if (!p.get(LISTEN_TLS_KEY).isEmpty() || !p.get(LISTEN_TLS_CLIENT_CA).isEmpty()) {
      problems.add("--listen-tls-key and --listen-tls-client-ca need --listen-tls-cert");
    }
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < listens.size(); i++) {
      String l = listens.get(i).strip();
      HostPort listen = HostPort.parse(l.contains(":") ? l : ":" + l, true, "--listen", problems);
      List<HostPort> endpoints = new ArrayList<>();
      List<String> texts = listens.size() == 1 ? upstreams : List.of(upstreams.get(i));
      for (String text : texts) {
        for (String part : text.split(",")) {
          HostPort hp = HostPort.parse(part, false, "--upstream", problems);
          if (hp != null) endpoints.add(hp);
        }
      }
      if (listen != null && !endpoints.isEmpty()) {
        routes.add(new Route(listen, endpoints, p.get(BALANCE), Route.Family.ANY, p.get(PROXY_PROTOCOL), tls,
            listenTls));
      }
    }
    return routes;
  }

  private static UpstreamTls flagTls(Options.Parsed p) {
    boolean any = p.get(UPSTREAM_TLS) || !p.get(UPSTREAM_CA_FILE).isEmpty() || !p.get(UPSTREAM_CERT).isEmpty()
        || !p.get(UPSTREAM_KEY).isEmpty() || !p.get(UPSTREAM_SERVER_NAME).isEmpty() || p.get(UPSTREAM_INSECURE);
    if (!any) {
      return null;
    }
    return new UpstreamTls(!p.get(UPSTREAM_INSECURE), p.get(UPSTREAM_SERVER_NAME).isEmpty() ? null : p.get(UPSTREAM_SERVER_NAME),
        true, path(p.get(UPSTREAM_CA_FILE)), path(p.get(UPSTREAM_CERT)), path(p.get(UPSTREAM_KEY)));
  }

  private static Path path(String s) {
    return s.isEmpty() ? null : Path.of(s);
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
