package dev.podkit.tcpambassador;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads socat's two-address form, so an ambassador's args stay as they were:
 * {@code TCP-LISTEN:6379,fork,reuseaddr TCP:my-redis:6379}. The listening side is
 * {@code TCP-LISTEN} (also {@code TCP-L}, {@code TCP4-LISTEN}, {@code TCP6-LISTEN}) or
 * {@code OPENSSL-LISTEN} ({@code SSL-L}: TLS on the listener, clients' certificates checked
 * against {@code cafile=} unless {@code verify=0}, as socat does); the
 * connecting side {@code TCP} ({@code TCP-CONNECT}, {@code TCP4}, {@code TCP6}) or
 * {@code OPENSSL} ({@code OPENSSL-CONNECT}, {@code SSL}). An option this tool does not honour is
 * a problem, never ignored: a user relying on it must learn that it has no effect here.
 */
final class SocatAddresses {
  /**
   * What the two addresses say.
   *
   * @param route the route
   * @param backlog {@code backlog=}, or null
   * @param maxConnections {@code max-children=}, or null
   * @param connectTimeout {@code connect-timeout=}, or null
   */
  record Parsed(Route route, Integer backlog, Integer maxConnections, Duration connectTimeout) {}

  private static final List<String> LISTEN = List.of("TCP-LISTEN", "TCP-L", "TCP4-LISTEN", "TCP4-L",
      "TCP6-LISTEN", "TCP6-L", "OPENSSL-LISTEN", "SSL-L");
  private static final List<String> CONNECT = List.of("TCP", "TCP-CONNECT", "TCP4", "TCP4-CONNECT", "TCP6",
      "TCP6-CONNECT", "OPENSSL", "OPENSSL-CONNECT", "SSL");

  private SocatAddresses() {}

  /** True when {@code arg} looks like a socat address this tool knows (by its keyword). */
  static boolean looksLikeAddress(String arg) {
    String k = keyword(arg);
    return LISTEN.contains(k) || CONNECT.contains(k);
  }

  private static String keyword(String address) {
    int colon = address.indexOf(':');
    return (colon < 0 ? address : address.substring(0, colon)).toUpperCase(Locale.ROOT);
  }

  /**
   * Parses the listening and the connecting address; every problem goes to {@code problems}.
   * Returns null when either address gives no route at all (a wrong keyword, no port, no host);
   * otherwise the route, also when other options had problems, so that its TLS files are read and
   * their problems listed with the rest (the caller refuses a configuration with any problem). A
   * TLS part that has a problem of its own is left out of the route.
   */
  static Parsed parse(String listenAddress, String connectAddress, List<String> problems) {
    int before = problems.size();
    String lk = keyword(listenAddress);
    String ck = keyword(connectAddress);
    if (!LISTEN.contains(lk)) {
      problems.add("socat address '" + listenAddress + "': the first address must be TCP-LISTEN:PORT[,options] or "
          + "OPENSSL-LISTEN:PORT[,options]"
          + (CONNECT.contains(lk) ? " (the two addresses are swapped?)" : ""));
    }
    if (!CONNECT.contains(ck)) {
      problems.add("socat address '" + connectAddress + "': the second address must be TCP:HOST:PORT or "
          + "OPENSSL:HOST:PORT[,options]");
    }
    if (problems.size() > before) {
      return null;
    }
    // (1) The listening side: TCP-LISTEN:<port>,options.
    Map<String, String> lo = new LinkedHashMap<>();
    String[] lparts = body(listenAddress, lo);
    HostPort listen = null;
    if (lparts.length != 1 || HostPort.port(lparts[0]) < 0) {
      problems.add("socat address '" + listenAddress + "': want " + lk + ":PORT with a port of 1-65535");
    } else {
      String bind = lo.remove("bind");
      String host = bind == null ? "" : bind.startsWith("[") ? bind.substring(1, bind.length() - 1) : bind;
      listen = new HostPort(host, HostPort.port(lparts[0]));
    }
    Integer backlog = integer(lo.remove("backlog"), "backlog", 1, 65535, listenAddress, problems);
    Integer maxChildren = integer(lo.remove("max-children"), "max-children", 1, 10_000_000, listenAddress, problems);
    // Always so here: every connection is served (fork), the address is reusable at once, and
    // sockets have TCP_NODELAY and keepalive.
    for (String same : List.of("fork", "reuseaddr", "so-reuseaddr", "nodelay", "keepalive", "so-keepalive")) {
      flag(lo, same, listenAddress, problems);
    }
    int beforeTls = problems.size();
    ListenerTls listenTls = lk.startsWith("OPENSSL") || lk.equals("SSL-L") ? listenTls(lo, listenAddress, problems) : null;
    if (problems.size() > beforeTls) {
      listenTls = null;
    }
    unsupported(lo, listenAddress, problems);

    // (2) The connecting side: TCP:<host>:<port>,options or OPENSSL:<host>:<port>,options.
    Map<String, String> co = new LinkedHashMap<>();
    String[] cparts = body(connectAddress, co);
    List<HostPort> upstream = List.of();
    if (cparts.length != 2 && !(cparts.length > 2 && cparts[0].startsWith("["))) {
      problems.add("socat address '" + connectAddress + "': want " + ck + ":HOST:PORT");
    } else {
      String joined = String.join(":", cparts);
      HostPort hp = HostPort.parse(joined, false, "socat address '" + connectAddress + "'", problems);
      if (hp != null) upstream = List.of(hp);
    }
    Duration connectTimeout = null;
    String ct = co.remove("connect-timeout");
    if (ct != null) {
      try {
        double seconds = Double.parseDouble(ct);
        if (!(seconds > 0) || seconds > 86400) throw new NumberFormatException();
        connectTimeout = Duration.ofNanos((long) (seconds * 1e9));
      } catch (NumberFormatException e) {
        problems.add("socat address '" + connectAddress + "': connect-timeout=" + ct + " is not a positive number of seconds");
      }
    }
    for (String same : List.of("nodelay", "keepalive", "so-keepalive")) {
      flag(co, same, connectAddress, problems);
    }
    beforeTls = problems.size();
    UpstreamTls tls = ck.startsWith("OPENSSL") || ck.equals("SSL") ? tls(co, connectAddress, problems) : null;
    if (problems.size() > beforeTls) {
      tls = null;
    }
    unsupported(co, connectAddress, problems);
    if (listen == null || upstream.isEmpty()) {
      return null;
    }
    Route.Family family = lk.startsWith("TCP4") || ck.startsWith("TCP4") ? Route.Family.IPV4
        : lk.startsWith("TCP6") || ck.startsWith("TCP6") ? Route.Family.IPV6 : Route.Family.ANY;
    Route route = new Route(listen, upstream, Route.Balance.ROUND_ROBIN, family, Route.ProxyProtocol.OFF, tls, listenTls);
    return new Parsed(route, backlog, maxChildren, connectTimeout);
  }

  /** The colon-separated parameters after the keyword; the comma options go to {@code options}. */
  private static String[] body(String address, Map<String, String> options) {
    String[] commaParts = address.split(",", -1);
    for (int i = 1; i < commaParts.length; i++) {
      String o = commaParts[i].strip();
      int eq = o.indexOf('=');
      options.put((eq < 0 ? o : o.substring(0, eq)).toLowerCase(Locale.ROOT), eq < 0 ? null : o.substring(eq + 1));
    }
    String head = commaParts[0];
    int colon = head.indexOf(':');
    return colon < 0 ? new String[0] : head.substring(colon + 1).split(":", -1);
  }

  private static UpstreamTls tls(Map<String, String> o, String address, List<String> problems) {
    boolean verify = true;
    String v = o.remove("verify");
    if (v != null) {
      switch (v) {
        case "0" -> verify = false;
        case "1" -> verify = true;
        default -> problems.add("socat address '" + address + "': verify=" + v + " (use verify=0 or verify=1)");
      }
    }
    boolean sni = true;
    if (o.containsKey("no-sni")) {
      String n = o.remove("no-sni");
      sni = n != null && n.equals("0");
    }
    String sniHost = o.remove("snihost");
    String commonName = o.remove("commonname");
    if (sniHost != null && commonName != null && !sniHost.equals(commonName)) {
      problems.add("socat address '" + address + "': snihost and commonname differ; this tool checks the certificate"
          + " against the SNI name");
    }
    String name = sniHost != null ? sniHost : commonName;
    Path ca = path(o.remove("cafile"));
    Path cert = path(o.remove("cert"));
    Path key = path(o.remove("key"));
    if (key != null && cert == null) {
      problems.add("socat address '" + address + "': key= needs cert=");
    }
    return new UpstreamTls(verify, name, sni, ca, cert, key);
  }

  /**
   * OPENSSL-LISTEN's options: {@code cert=} (with the key unless {@code key=}), and the check of
   * the clients' certificates, on by default as in socat ({@code verify=1} needs {@code cafile=}).
   */
  private static ListenerTls listenTls(Map<String, String> o, String address, List<String> problems) {
    Path cert = path(o.remove("cert"));
    Path key = path(o.remove("key"));
    Path ca = path(o.remove("cafile"));
    String v = o.containsKey("verify") ? String.valueOf(o.remove("verify")) : "1";
    boolean verify = switch (v) {
      case "0" -> false;
      case "1", "null" -> true;
      default -> {
        problems.add("socat address '" + address + "': verify=" + v + " (use verify=0 or verify=1)");
        yield false; // reported: no second problem about cafile=
      }
    };
    if (cert == null) {
      problems.add("socat address '" + address + "': OPENSSL-LISTEN needs cert= (the server certificate, PEM)");
    }
    if (verify && ca == null) {
      problems.add("socat address '" + address + "': verify=1 (socat's default) checks client certificates and needs "
          + "cafile=; give cafile= or verify=0");
    }
    return new ListenerTls(cert, key, verify ? ca : null);
  }

  private static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  private static void flag(Map<String, String> o, String name, String address, List<String> problems) {
    if (!o.containsKey(name)) {
      return;
    }
    String v = o.remove(name);
    if (v != null && !v.equals("1")) {
      problems.add("socat address '" + address + "': " + name + "=" + v + " cannot be turned off here");
    }
  }

  private static Integer integer(String text, String name, int min, int max, String address, List<String> problems) {
    if (text == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add("socat address '" + address + "': " + name + "=" + text + " (a whole number " + min + "-" + max + ")");
    return null;
  }

  private static void unsupported(Map<String, String> left, String address, List<String> problems) {
    List<String> names = new ArrayList<>(left.keySet());
    for (String n : names) {
      problems.add("socat address '" + address + "': option '" + n + "' is not supported by tcp-ambassador");
    }
  }
}
