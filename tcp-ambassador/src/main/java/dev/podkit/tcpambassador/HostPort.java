package dev.podkit.tcpambassador;

import java.util.List;

/**
 * A host (a name, an IPv4 or IPv6 literal, or empty for every interface) and a TCP port, as
 * written in flags, socat addresses and route files: {@code redis:6379}, {@code [::1]:6379},
 * {@code :6379}.
 *
 * @param host the name or literal without brackets; empty only for a listen address
 * @param port 1 to 65535
 */
record HostPort(String host, int port) {
  HostPort {
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
  }

  /**
   * Parses {@code text}; a problem is added to {@code problems} (prefixed by {@code what}) and
   * null returned when it is not {@code HOST:PORT}. An empty host is accepted only when
   * {@code anyHost}.
   */
  static HostPort parse(String text, boolean anyHost, String what, List<String> problems) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon < 0) {
      problems.add(what + ": no port in '" + text + "' (use " + (anyHost ? "[HOST]:PORT" : "HOST:PORT") + ")");
      return null;
    }
    String host = t.substring(0, colon);
    String portText = t.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      problems.add(what + ": an IPv6 address needs brackets: '" + text + "' (as in [::1]:6379)");
      return null;
    }
    if (host.isEmpty() && !anyHost) {
      problems.add(what + ": no host in '" + text + "' (use HOST:PORT)");
      return null;
    }
    if (!host.isEmpty() && !host.matches("[A-Za-z0-9._:%-]+")) {
      problems.add(what + ": bad host '" + host + "' in '" + text + "'");
      return null;
    }
    int port = port(portText);
    if (port < 0) {
      problems.add(what + ": bad port '" + portText + "' in '" + text + "' (1-65535)");
      return null;
    }
    return new HostPort(host, port);
  }

  /** The port in {@code text}, or -1 when it is not one. */
  static int port(String text) {
    if (!text.matches("\\d{1,5}")) {
      return -1;
    }
    int p = Integer.parseInt(text);
    return p >= 1 && p <= 65535 ? p : -1;
  }

  /** True when the host is empty: every interface. */
  boolean anyHost() {
    return host.isEmpty();
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
