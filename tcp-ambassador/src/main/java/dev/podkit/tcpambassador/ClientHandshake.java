package dev.podkit.tcpambassador;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLHandshakeException;

/**
 * On a TLS listener, waits for the client's handshake before the upstream is connected: a client
 * that sends garbage or gives up half way never costs an upstream connection. Removes itself
 * once the handshake is done; a failed handshake goes on to the {@link RelayHandler}. A client's
 * FIN before the handshake finished fails it at once: no more bytes can come to finish it, and
 * waiting out the handshake timeout would hold the connection (in a flood where half the clients
 * sent half a ClientHello and closed, the RSS grew by 21-27 MB per 10,000 connections).
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
    } else if (evt instanceof ChannelInputShutdownEvent) {
      ctx.pipeline().remove(this);
      relay.failed(Side.DOWNSTREAM, new SSLHandshakeException("the client closed its side before the TLS handshake finished"));
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
