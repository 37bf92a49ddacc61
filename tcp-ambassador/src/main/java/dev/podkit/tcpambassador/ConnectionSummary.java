package dev.podkit.tcpambassador;

import java.net.SocketAddress;

/**
 * What one finished connection did: the access log line.
 *
 * @param route the route it came in on
 * @param client the client's address
 * @param upstream the upstream address it was relayed to, or null when none was reached
 * @param attempts upstream connection attempts made
 * @param downstreamRxBytes bytes received from the client (sent on to the upstream)
 * @param upstreamRxBytes bytes received from the upstream (sent on to the client)
 * @param durationNanos from accept to close
 * @param end how it ended
 */
record ConnectionSummary(Route route, SocketAddress client, SocketAddress upstream, int attempts,
    long downstreamRxBytes, long upstreamRxBytes, long durationNanos, End end) {}
