package dev.podkit.configsyncer;

import java.util.ArrayList;
import java.util.List;

/**
 * The way a running sync learns that the syncer stops: loops that copy data call {@link #check()},
 * and blocking resources (an HTTP connection) registered with {@link #onCancel} are closed, so a
 * read blocked on the network ends at once instead of at its timeout.
 */
final class Cancellation {
  private final List<AutoCloseable> closeOnCancel = new ArrayList<>(); // guarded by this
  private volatile boolean cancelled;

  /** Marks the sync cancelled and closes what was registered. */
  void cancel() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      cancelled = true;
      toClose = List.copyOf(closeOnCancel);
      closeOnCancel.clear();
    }
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing is only a way to unblock a read; the sync reports its own outcome.
      }
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Throws when cancelled. */
  void check() throws SyncFailure {
    if (cancelled) throw new SyncFailure(SyncFailure.Reason.CANCELLED, "stopping");
  }

  /** Closes {@code c} on cancel (at once if already cancelled); {@link #forget} it when done. */
  void onCancel(AutoCloseable c) {
    boolean now;
    synchronized (this) {
      now = cancelled;
      if (!now) closeOnCancel.add(c);
    }
    if (now) {
      try {
        c.close();
      } catch (Exception e) {
        // as in cancel()
      }
    }
  }

  synchronized void forget(AutoCloseable c) {
    closeOnCancel.remove(c);
  }
}
