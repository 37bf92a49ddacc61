package dev.podkit.tcpambassador;

import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The pipes a {@link DirectRelay} splices through, pooled per event loop: a pipe is taken for one
 * read and given back once it is empty again, so an idle connection holds none and a connection
 * costs no pipe(2) and close(2) calls once the pool is warm. Used on event-loop threads only.
 */
final class Pipes {
  /** Empty pipes kept per event loop; more are closed. */
  static final int POOLED = 32;

  /** One pipe: bytes go {@code in} and come {@code out}. */
  record Pipe(FileDescriptor out, FileDescriptor in) {
    void close() {
      for (FileDescriptor fd : new FileDescriptor[] {out, in}) {
        try {
          fd.close();
        } catch (IOException ignored) {
          // a pipe end that does not close: nothing else to do with it
        }
      }
    }
  }

  private static final FastThreadLocal<ArrayDeque<Pipe>> POOL = new FastThreadLocal<>() {
    @Override
    protected ArrayDeque<Pipe> initialValue() {
      return new ArrayDeque<>(POOLED);
    }

    @Override
    protected void onRemoval(ArrayDeque<Pipe> pool) {
      pool.forEach(Pipe::close);
      pool.clear();
    }
  };

  private Pipes() {}

  /** An empty pipe, from the pool or new. */
  static Pipe acquire() throws IOException {
    Pipe p = POOL.get().poll();
    if (p != null) {
      return p;
    }
    FileDescriptor[] fds = FileDescriptor.pipe();
    return new Pipe(fds[0], fds[1]);
  }

  /** Gives {@code p} back; one that is not {@code empty} (its bytes are dropped) is closed. */
  static void release(Pipe p, boolean empty) {
    ArrayDeque<Pipe> pool = POOL.get();
    if (empty && pool.size() < POOLED) {
      pool.push(p);
    } else {
      p.close();
    }
  }

  /** Splices up to {@code n} bytes from {@code p} into {@code to}; returns how many went (fewer: {@code to} is full). */
  static int drain(Pipe p, Socket to, int n) throws IOException {
    int sent = 0;
    while (sent < n) {
      int w = Native.splice(p.out().intValue(), -1, to.intValue(), -1, n - sent);
      if (w == 0) {
        break;
      }
      sent += w;
    }
    return sent;
  }
}
