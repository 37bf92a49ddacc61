package dev.podkit.tcpambassador;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The idle and half-close timeouts of one {@link Relay}: one timer per connection, re-armed
 * lazily. Moving bytes only updates a time stamp; when the timer fires before the limit (there
 * was activity meanwhile), it re-arms for the rest. Used on the relay's event loop only.
 */
final class RelayTimeouts {
  private final RelayPolicy policy;
  private final EventLoop loop;
  private final Consumer<End> onTimeout;
  private long lastActivityNanos = System.nanoTime();
  private boolean halfClosed;
  private boolean started;
  private boolean stopped;
  private ScheduledFuture<?> timer;

  RelayTimeouts(RelayPolicy policy, EventLoop loop, Consumer<End> onTimeout) {
    this.policy = policy;
    this.loop = loop;
    this.onTimeout = onTimeout;
  }

  /** A byte moved (or the connection started): the idle time starts again. */
  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  /** Both sides are connected: the timer runs from now. */
  void start() {
    activity();
    started = true;
    schedule(limitNanos());
  }

  /** One side sent its FIN: the (shorter) half-close timeout applies from now. */
  void halfClosed() {
    halfClosed = true;
    activity();
    if (started) {
      cancel();
      schedule(limitNanos());
    }
  }

  /** The connection finished: the timer stops for good. */
  void stop() {
    stopped = true;
    cancel();
  }

  private long limitNanos() {
    long idle = policy.idleTimeout().toNanos();
    long halfClose = policy.halfCloseTimeout().toNanos();
    if (halfClosed && halfClose > 0) {
      return idle > 0 ? Math.min(idle, halfClose) : halfClose;
    }
    return idle;
  }

  private void schedule(long delayNanos) {
    if (delayNanos > 0 && !stopped) {
      timer = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    timer = null;
    long limit = limitNanos();
    if (stopped || limit <= 0) {
      return;
    }
    long idleFor = System.nanoTime() - lastActivityNanos;
    if (idleFor >= limit) {
      onTimeout.accept(halfClosed ? End.HALF_CLOSE_TIMEOUT : End.IDLE_TIMEOUT);
    } else {
      schedule(limit - idleFor);
    }
  }
}
