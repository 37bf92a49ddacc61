package dev.podkit.testfixtures;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis server for tests, listening on 127.0.0.1 only, run from the installed
 * {@code redis-server} (or the one the system property {@code podkit.redis.server} names) as a
 * child process, without persistence. The port stays the same across {@link #start}/{@link #stop}
 * cycles. The server's output goes to {@code redis.log} in a temporary directory that
 * {@link #close} deletes.
 */
public final class RedisServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final Path dir;
  private final Path log;
  private final int port;
  private final String password;
  /** The running server; null while stopped. Guarded by this. */
  private ServerProcess server;

  private RedisServer(Path dir, String password) {
    this.dir = dir;
    this.log = dir.resolve("redis.log");
    this.port = Ports.free();
    this.password = password;
  }

  /**
   * A server whose default user needs {@code password} ({@code requirepass}); null for none.
   * It is not started.
   */
  public static RedisServer create(String password) throws IOException {
    return new RedisServer(Files.createTempDirectory("podkit-redis-"), password);
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** The server's output, kept across restarts; read it when a test fails. */
  public Path logFile() {
    return log;
  }

  /** Starts the server without waiting for it to accept connections; see {@link #awaitReady}. */
  public synchronized void start() throws IOException {
    if (server != null && server.isAlive()) {
      throw new IllegalStateException("already running on port " + port);
    }
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("podkit.redis.server", "redis-server"),
        "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(),
        "--save", "", "--appendonly", "no", "--daemonize", "no"));
    if (password != null) {
      cmd.addAll(List.of("--requirepass", password));
    }
    // SIGTERM makes Redis shut down cleanly; with nothing to save that is immediate.
    server = ServerProcess.start(cmd, log, "TERM");
  }

  public synchronized boolean isRunning() {
    return server != null && server.isAlive();
  }

  /** Waits until the server accepts TCP connections. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    ServerProcess s;
    synchronized (this) {
      if (!isRunning()) {
        throw new IllegalStateException("redis on port " + port + " is not running");
      }
      s = server;
    }
    s.await("redis on port " + port, timeout, this::accepts);
  }

  /** Stops the server, waiting up to 30 seconds. */
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
      ServerProcess.deleteTree(dir);
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 1000);
      return true;
    } catch (IOException e) {
      return false; // not listening yet: the caller tries again until its deadline
    }
  }
}
