package dev.podkit.tcpambassador;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The PROXY protocol header (v1 or v2) that tells the upstream who the client is. */
final class ProxyHeaders {
  private ProxyHeaders() {}

  /**
   * The header for a client at {@code client} that reached the listener at {@code local}, or null
   * when {@code protocol} is off or either is not an internet address.
   */
  static HAProxyMessage header(Route.ProxyProtocol protocol, SocketAddress client, SocketAddress local) {
    if (protocol == Route.ProxyProtocol.OFF
        || !(client instanceof InetSocketAddress src)
        || !(local instanceof InetSocketAddress dst)) {
      return null;
    }
    HAProxyProxiedProtocol family = src.getAddress() instanceof Inet4Address && dst.getAddress() instanceof Inet4Address
        ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6;
    return new HAProxyMessage(
        protocol == Route.ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2,
        HAProxyCommand.PROXY, family, hostText(src, family), hostText(dst, family), src.getPort(), dst.getPort());
  }

  /** {@code header} as the bytes on the wire, encoded by Netty's encoder (the one the channel relay uses). */
  static byte[] encode(HAProxyMessage header) {
    EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    try {
      encoder.writeOutbound(header);
      ByteBuf out = encoder.readOutbound();
      try {
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
      } finally {
        out.release();
      }
    } finally {
      encoder.finishAndReleaseAll();
    }
  }

  private static String hostText(InetSocketAddress a, HAProxyProxiedProtocol family) {
    String s = a.getAddress().getHostAddress();
    if (family == HAProxyProxiedProtocol.TCP6 && a.getAddress() instanceof Inet4Address) {
      return "::ffff:" + s;
    }
    int pct = s.indexOf('%');
    return pct < 0 ? s : s.substring(0, pct);
  }
}
