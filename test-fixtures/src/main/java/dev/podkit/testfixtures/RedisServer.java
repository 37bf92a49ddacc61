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
public final class RedisServer extends LocalServer {
  private static final String HOST = "127.0.0.1";

  private final Path log;
  private final int port;
  private final String password;

  private RedisServer(Path dir, String password, int port) {
    super(dir, "redis on port " + port);
    this.log = dir.resolve("redis.log");
    this.port = port;
    this.password = password;
  }

  /**
   * A server whose default user needs {@code password} ({@code requirepass}); null for none.
   * It is not started.
   */
  public static RedisServer create(String password) throws IOException {
    return new RedisServer(Files.createTempDirectory("podkit-redis-"), password, Ports.free());
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
    checkStopped();
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("podkit.redis.server", "redis-server"),
        "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(),
        "--save", "", "--appendonly", "no", "--daemonize", "no"));
    if (password != null) {
      cmd.addAll(List.of("--requirepass", password));
    }
    // SIGTERM makes Redis shut down cleanly; with nothing to save that is immediate.
    started(ServerProcess.start(cmd, log, "TERM"));
  }

  /** Waits until the server accepts TCP connections. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    running().await("redis on port " + port, timeout, this::accepts);
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
