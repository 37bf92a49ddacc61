package dev.podkit.initwaiter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Ready when a name resolves to at least {@code minAddresses} addresses (a headless Service with
 * all its pods, say). The JVM's DNS caches are turned off at start-up, so every attempt asks.
 */
final class DnsProbe implements Probe {
  private final String name;
  private final int minAddresses;

  DnsProbe(String name, int minAddresses) {
    this.name = name;
    this.minAddresses = minAddresses;
  }

  @Override
  public ProbeResult check(Duration timeout) {
    try {
      InetAddress[] all = InetAddress.getAllByName(name);
      String list = Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(","));
      if (all.length < minAddresses) {
        return ProbeResult.notReady(all.length + " address(es) " + list + ", want " + minAddresses);
      }
      return ProbeResult.ready("resolves to " + list);
    } catch (UnknownHostException e) {
      return ProbeResult.notReady("dns: cannot resolve " + name);
    }
  }
}
