package dev.podkit.tcpambassador;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The idle and half-close timeouts of one {@link Relay}: one timer per connection, re-armed
 * lazily. Moving bytes only updates a time stamp; when the timer fires before the limit (there
 * was activity meanwhile), it re-arms for the rest. The same timer runs a task once a connection
 * has lasted {@link #FIRST_TICK} (the upstream socket's keepalive options: most connections end
 * sooner, and then never pay their system calls). Used on the relay's event loop only.
 */
final class RelayTimeouts {
  /** How long a connection lasts before its first-tick task runs. */
  static final long FIRST_TICK = TimeUnit.SECONDS.toNanos(1);

  private final RelayPolicy policy;
  private final EventLoop loop;
  private final Consumer<End> onTimeout;
  private long lastActivityNanos = System.nanoTime();
  private boolean halfClosed;
  private boolean started;
  private boolean stopped;
  private ScheduledFuture<?> timer;
  private Runnable firstTick; // null once run, or when there is none
  private long startedNanos;

  RelayTimeouts(RelayPolicy policy, EventLoop loop, Consumer<End> onTimeout) {
    this.policy = policy;
    this.loop = loop;
    this.onTimeout = onTimeout;
  }

  /** A byte moved (or the connection started): the idle time starts again. */
  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  /**
   * Both sides are connected: the timer runs from now; {@code firstTick} (or null) runs once the
   * connection has lasted {@link #FIRST_TICK}, if it has not finished by then.
   */
  void start(Runnable firstTick) {
    activity();
    started = true;
    startedNanos = lastActivityNanos;
    this.firstTick = firstTick;
    schedule(nextDelay(limitNanos()));
  }

  /** One side sent its FIN: the (shorter) half-close timeout applies from now. */
  void halfClosed() {
    halfClosed = true;
    activity();
    if (started) {
      cancel();
      schedule(nextDelay(limitNanos()));
    }
  }

  /** Until the first tick if it is still to come and sooner than {@code limit} (0: no limit). */
  private long nextDelay(long limit) {
    if (firstTick == null) {
      return limit;
    }
    long toFirst = Math.max(1, startedNanos + FIRST_TICK - System.nanoTime());
    return limit > 0 ? Math.min(limit, toFirst) : toFirst;
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
    if (stopped) {
      return;
    }
    Runnable first = firstTick;
    if (first != null && System.nanoTime() - startedNanos >= FIRST_TICK) {
      firstTick = null;
      first.run();
    }
    long limit = limitNanos();
    long idleFor = System.nanoTime() - lastActivityNanos;
    if (limit > 0 && idleFor >= limit) {
      onTimeout.accept(halfClosed ? End.HALF_CLOSE_TIMEOUT : End.IDLE_TIMEOUT);
    } else {
      schedule(nextDelay(limit > 0 ? limit - idleFor : 0));
    }
  }
}
