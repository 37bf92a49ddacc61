package dev.podkit.tcpambassador;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How upstream names are resolved. Names are looked up for every new connection through a cache
 * that keeps each answer for its TTL (at most {@code maxTtl}); {@code refresh} re-resolves them
 * in the background so that new connections rarely wait. Connections already open are never
 * moved.
 *
 * @param servers name servers to ask; empty means those of /etc/resolv.conf (with its search
 *     domains and ndots, as Kubernetes sets them)
 * @param maxTtl the longest an answer is kept, whatever its TTL
 * @param refresh how often names are re-resolved in the background; zero turns that off
 */
record DnsPolicy(List<InetSocketAddress> servers, Duration maxTtl, Duration refresh) {}
