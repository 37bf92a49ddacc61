package dev.podkit.configsyncer;

import dev.podkit.runtime.Backoff;
import java.util.ArrayList;
import java.util.List;

/**
 * The notifications after each publish, on a thread of their own so a slow app never delays the
 * next sync. Bursts collapse: only the newest version waits to be sent, and a version still being
 * retried is dropped when a newer one arrives, so the app gets one call carrying the newest
 * version. Each notifier is retried with backoff until it succeeds or a newer version comes.
 */
final class Notifications implements AutoCloseable {
  private record Pending(String version) {}

  private final List<Notifier> notifiers;
  private final Backoff backoff;
  private final SyncEvents events;
  private final Thread worker;
  private Pending pending; // guarded by this
  private boolean closed; // guarded by this
  private boolean busy; // guarded by this: a version is being sent

  Notifications(List<Notifier> notifiers, Backoff backoff, SyncEvents events) {
    this.notifiers = List.copyOf(notifiers);
    this.backoff = backoff;
    this.events = events;
    this.worker = new Thread(this::run, "notify");
    this.worker.setDaemon(true);
    if (!this.notifiers.isEmpty()) {
      worker.start();
    }
  }

  boolean any() {
    return !notifiers.isEmpty();
  }

  /** Queues {@code version} for every notifier, replacing any version not yet sent. */
  synchronized void published(String version) {
    if (notifiers.isEmpty() || closed) return;
    pending = new Pending(version);
    notifyAll();
  }

  /** Waits up to {@code millis} until nothing is queued or being sent; returns whether that happened. */
  synchronized boolean awaitIdle(long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (pending != null || busy) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) return false;
      wait(left);
    }
    return true;
  }

  private void run() {
    Pending p;
    while ((p = take()) != null) {
      List<Notifier> left = new ArrayList<>(notifiers);
      int attempt = 0;
      while (!left.isEmpty()) {
        for (Notifier n : List.copyOf(left)) {
          try {
            n.notify(p.version());
            left.remove(n);
            events.notified(n.kind(), p.version());
          } catch (Exception e) {
            events.notifyFailed(n.kind(), p.version(), e.toString(), attempt + 1);
          }
        }
        if (left.isEmpty() || waitForNewer(backoff.delay(attempt++).toMillis())) break;
      }
      done();
    }
  }

  private synchronized Pending take() {
    while (pending == null && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        return null;
      }
    }
    if (closed) return null;
    Pending p = pending;
    pending = null;
    busy = true;
    return p;
  }

  private synchronized void done() {
    busy = false;
    notifyAll();
  }

  /** Waits out a retry delay; true when a newer version (or close) cut it short. */
  private synchronized boolean waitForNewer(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (pending == null && !closed) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) return false;
      try {
        wait(left);
      } catch (InterruptedException e) {
        return true;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
