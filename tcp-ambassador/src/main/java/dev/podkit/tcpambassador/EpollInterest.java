package dev.podkit.tcpambassador;

import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;

/**
 * What sockets of our own ask of Netty's epoll registration. Netty takes {@code NONE} as
 * "leave epoll" (epoll_ctl DEL), after which asking for anything fails; and epoll reports an error
 * or a hang-up whatever is asked. So "nothing" is asked as edge-triggered nothing: the socket stays
 * registered, and an error or hang-up comes once instead of on every loop turn.
 */
final class EpollInterest {
  static final int EPOLLIN = EpollIoOps.EPOLLIN.value();
  static final int EPOLLOUT = EpollIoOps.EPOLLOUT.value();
  static final int EPOLLERR = EpollIoOps.EPOLLERR.value();
  static final int EPOLLHUP = 0x10; // Linux's value; Netty has no constant for it

  private EpollInterest() {}

  /** Asks {@code registration} for {@code ops} (level-triggered), or for nothing when 0. */
  static void ask(IoRegistration registration, int ops) {
    registration.submit(ops == 0 ? EpollIoOps.EPOLLET : EpollIoOps.valueOf(ops));
  }
}
