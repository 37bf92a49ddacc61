package dev.podkit.tcpambassador;

import dev.podkit.runtime.CommonOptions;
import dev.podkit.runtime.Option;
import dev.podkit.runtime.Options;
import dev.podkit.tcpambassador.AmbassadorConfig.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * tcp-ambassador's command line: every option it declares (each also read from its environment
 * variable), the help text and the options every helper shares. {@link AmbassadorConfig#from}
 * reads and checks the values.
 */
final class AmbassadorOptions {
  static final int ADMIN_PORT = 9402;
  static final CommonOptions COMMON = CommonOptions.withAdminPort(ADMIN_PORT, Duration.ofSeconds(25));

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
  static final Option<Boolean> NO_SPLICE = Option.flag("no-splice",
      "On epoll, move bulk bytes of plain-TCP routes through user space instead of with splice(2).");
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

  private AmbassadorOptions() {}

  /** The declarations, with the help text and {@code version}, ready to parse a command line. */
  static Options options(String version) {
    List<Option<?>> all = new ArrayList<>(List.of(LISTEN, UPSTREAM, CONFIG, BALANCE, PROXY_PROTOCOL, UPSTREAM_TLS,
        UPSTREAM_CA_FILE, UPSTREAM_CERT, UPSTREAM_KEY, UPSTREAM_SERVER_NAME, UPSTREAM_INSECURE, LISTEN_TLS_CERT,
        LISTEN_TLS_KEY, LISTEN_TLS_CLIENT_CA, TLS_PROVIDER, TLS_RELOAD_INTERVAL, TLS_HANDSHAKE_TIMEOUT,
        HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_FALL, HEALTH_CHECK_RISE, CONNECT_TIMEOUT,
        RETRIES, RETRY_BACKOFF, EJECT_AFTER, EJECT_TIME, IDLE_TIMEOUT, HALF_CLOSE_TIMEOUT, WRITE_BUFFER_BYTES, NO_SPLICE,
        KEEPALIVE_IDLE, MAX_CONNECTIONS, BACKLOG, DNS_SERVER, DNS_MAX_TTL, DNS_REFRESH, TRANSPORT, EVENT_LOOPS,
        ACCESS_LOG, DRAIN_DELAY));
    all.addAll(COMMON.all());
    return new Options("tcp-ambassador", version, "[options] [TCP-LISTEN:PORT,... TCP:HOST:PORT]", DESCRIPTION, all);
  }
}
