package dev.podkit.tcpambassador;

import java.util.List;

/**
 * One forwarding rule: connections accepted on {@code listen} are relayed to one of
 * {@code upstreams}.
 *
 * @param listen where to accept; an empty host means every interface
 * @param upstreams the endpoints, at least one; each name may resolve to several addresses, and
 *     every address is a candidate
 * @param balance how a candidate is chosen for a new connection
 * @param family which address family upstream names resolve to (socat's TCP4/TCP6)
 * @param proxyProtocol the PROXY protocol header sent to the upstream first, if any
 * @param tls TLS towards the upstream, or null for plain TCP
 * @param listenTls TLS on the listener (clients speak TLS to the ambassador), or null for plain TCP
 */
record Route(HostPort listen, List<HostPort> upstreams, Balance balance, Family family,
    ProxyProtocol proxyProtocol, UpstreamTls tls, ListenerTls listenTls) {

  Route {
    if (upstreams.isEmpty()) throw new IllegalArgumentException("no upstream for " + listen);
    upstreams = List.copyOf(upstreams);
  }

  /** The route's name in logs and metric tags: its listen address, as in {@code :6379}. */
  String name() {
    return listen.toString();
  }

  /** How the next upstream address is chosen. */
  enum Balance { ROUND_ROBIN, LEAST_CONN }

  /** The address family of upstream addresses. */
  enum Family { ANY, IPV4, IPV6 }

  /** The PROXY protocol header sent to the upstream before any data. */
  enum ProxyProtocol { OFF, V1, V2 }
}
