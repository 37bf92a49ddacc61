package dev.podkit.tcpambassador;

import io.netty.channel.EventLoop;

/**
 * One proxied connection as the {@link Proxy} and the {@link UpstreamConnector} drive it: the
 * Netty {@link Relay} or the {@link DirectRelay}. Called on {@link #loop()} only.
 */
interface Connection {
  /** The event loop the connection lives on. */
  EventLoop loop();

  /** Closes both sides, after what is already written; {@code why} is the end unless one was set. */
  void close(End why);

  /** Connecting to the upstream starts. */
  void startConnecting();

  /** True when no further attempt is worth making (the client left, or the proxy closed it). */
  boolean clientGone();

  /** An attempt starts (counted for the access log). */
  void attempt();

  /** Every attempt failed: the client is reset, so it does not take the close for an answer. */
  void upstreamFailed(End why);

  /** Connecting stopped because the client left. */
  void upstreamAbandoned();
}
