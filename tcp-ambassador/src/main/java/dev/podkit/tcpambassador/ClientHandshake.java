package dev.podkit.tcpambassador;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * On a TLS listener, waits for the client's handshake before the upstream is connected: a client
 * that sends garbage or gives up half way never costs an upstream connection. Removes itself
 * once the handshake is done; a failed handshake goes on to the {@link RelayHandler}.
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {
  private final Relay relay;
  private final UpstreamConnector connector;

  ClientHandshake(Relay relay, UpstreamConnector connector) {
    this.relay = relay;
    this.connector = connector;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e) {
      ctx.pipeline().remove(this);
      if (e.isSuccess()) {
        // Reading waits for the upstream, as on a plain listener (the relay turns it back on).
        ctx.channel().config().setAutoRead(false);
        connector.connect(relay);
      }
    }
    ctx.fireUserEventTriggered(evt);
  }
}
