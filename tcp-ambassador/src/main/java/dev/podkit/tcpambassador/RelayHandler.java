package dev.podkit.tcpambassador;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/** The last handler of one side's pipeline: hands what happens on that side to its {@link Relay}. */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final Relay relay;
  private final Side side;

  RelayHandler(Relay relay, Side side) {
    this.relay = relay;
    this.side = side;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    relay.forward(side, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    relay.readComplete(side);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    relay.writabilityChanged(side);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent || evt instanceof SslCloseCompletionEvent) {
      relay.inputShutdown(side);
    } else if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      relay.failed(side, e.cause());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    relay.failed(side, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    relay.inactive(side);
  }
}
