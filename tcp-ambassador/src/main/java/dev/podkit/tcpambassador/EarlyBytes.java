package dev.podkit.tcpambassador;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * What a client sent before its upstream was connected. Reading is off until then, but the epoll
 * transport still reads once when the client half-closes (EPOLLRDHUP), so a short request and its
 * FIN can arrive early, and on a TLS listener the read that finishes the handshake may carry the
 * first bytes too: bounded by one read loop. Used on the relay's event loop only.
 */
final class EarlyBytes {
  private ArrayDeque<Object> held; // made on the first early message: most connections have none

  void hold(Object msg) {
    if (held == null) held = new ArrayDeque<>(4);
    held.add(msg);
  }

  /** Writes what is held to {@code upstream}, in order, and flushes it. */
  void writeTo(Channel upstream) {
    if (held == null) {
      return;
    }
    for (Object msg; (msg = held.poll()) != null; ) {
      upstream.write(msg, upstream.voidPromise());
    }
    upstream.flush();
    held = null;
  }

  /** Drops what is held (the connection ends before its upstream took it). */
  void release() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }
}
