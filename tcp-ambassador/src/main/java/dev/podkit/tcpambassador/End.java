package dev.podkit.tcpambassador;

import java.util.Locale;
import javax.net.ssl.SSLException;

/** How a proxied connection ended, as the access log and metrics say it (Envoy's response flags in words). */
enum End {
  /** Both sides sent their FIN and everything was delivered. */
  CLOSED,
  /** One side closed (or failed to take data) and the other was closed after what was queued. */
  PEER_CLOSED,
  /** No byte either way for the idle timeout. */
  IDLE_TIMEOUT,
  /** Half-closed, and the other direction stayed silent for the half-close timeout. */
  HALF_CLOSE_TIMEOUT,
  /** The client reset its connection; the upstream was reset too. */
  DOWNSTREAM_RESET,
  /** The upstream reset its connection; the client was reset too. */
  UPSTREAM_RESET,
  /** No upstream address accepted a connection within the attempts allowed. */
  UPSTREAM_CONNECT_FAILED,
  /** The TLS handshake with the upstream failed (certificate not trusted, wrong name...). */
  UPSTREAM_TLS_FAILED,
  /** The TLS handshake with the client failed (no or untrusted client certificate, not TLS at all...). */
  DOWNSTREAM_TLS_FAILED,
  /**
   * Bytes came for a side whose TLS session was already closed for sending (Netty's BoringSSL
   * engine closes both directions on the peer's close_notify); they were dropped and the
   * sender reset.
   */
  UNDELIVERABLE,
  /** Refused at once: --max-connections connections were open. */
  OVERFLOW,
  /** Still open when the drain after SIGTERM ran out of time. */
  DRAIN_TIMEOUT;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How a connection ends when {@code side} failed with {@code cause}: a TLS failure or a reset. */
  static End ofFailure(Side side, Throwable cause) {
    if (isTls(cause)) {
      return side == Side.UPSTREAM ? UPSTREAM_TLS_FAILED : DOWNSTREAM_TLS_FAILED;
    }
    return side == Side.DOWNSTREAM ? DOWNSTREAM_RESET : UPSTREAM_RESET;
  }

  private static boolean isTls(Throwable t) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) { // bounded: causes may loop
      if (c instanceof SSLException) return true;
    }
    return false;
  }
}
