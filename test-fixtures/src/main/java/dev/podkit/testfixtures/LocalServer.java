package dev.podkit.testfixtures;

import dev.podkit.runtime.Trees;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server run for tests as one process from a temporary directory of its own: started and
 * stopped any number of times by the subclass, and at {@link #close} stopped for good and its
 * directory deleted.
 */
abstract class LocalServer implements AutoCloseable {
  /** Everything the server keeps: its data and its output. Deleted by {@link #close}. */
  protected final Path dir;
  private final String name;
  /** The running server; null while stopped. Guarded by this. */
  private ServerProcess server;

  /** {@code name}: how errors name the server, e.g. "redis on port 6379". */
  LocalServer(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  public synchronized boolean isRunning() {
    return server != null && server.isAlive();
  }

  /** Stops the server the way it was started to stop (see {@link #started}); waits up to 30 seconds. */
  public synchronized void stop() throws InterruptedException {
    if (server != null) {
      server.stop(Duration.ofSeconds(30));
      server = null;
    }
  }

  /**
   * Stops the server and deletes its directory. When interrupted meanwhile, kills the server
   * and keeps the interrupt for the caller (close cannot throw InterruptedException, so
   * try-with-resources stays simple).
   */
  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      synchronized (this) {
        if (server != null) {
          server.kill();
        }
        server = null;
      }
      Thread.currentThread().interrupt();
    } finally {
      Trees.delete(dir);
    }
  }

  /** For a subclass's start: fails if the server runs already. */
  protected synchronized void checkStopped() {
    if (isRunning()) {
      throw new IllegalStateException(name + " is already running");
    }
  }

  /** For a subclass's start: {@code process} is now the server. */
  protected synchronized void started(ServerProcess process) {
    server = process;
  }

  /** The running server's process; fails if it does not run. */
  protected synchronized ServerProcess running() {
    if (!isRunning()) {
      throw new IllegalStateException(name + " is not running");
    }
    return server;
  }

  /** The running server's process, or null while it is stopped. */
  protected synchronized ServerProcess runningOrNull() {
    return isRunning() ? server : null;
  }
}
