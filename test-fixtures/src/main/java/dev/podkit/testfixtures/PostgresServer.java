package dev.podkit.testfixtures;

import dev.podkit.runtime.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL server for tests, listening on 127.0.0.1 only, run from the installed
 * binaries as a child process. {@link #create} runs initdb once (a second or more), so a test
 * class can share one instance and {@link #start}/{@link #stop} it as its tests need; the port
 * stays the same across restarts, so a probe can be pointed at a server that is not up yet.
 *
 * <p>Everything lives in a fresh temporary directory deleted by {@link #close}: the data
 * directory, the Unix socket directory and {@code postgres.log}, the server's output. Local
 * (socket) connections are trusted; TCP connections use scram-sha-256 when a password is set,
 * else trust, and {@link #hostAuth} changes that. When the JVM runs as root, initdb and the
 * server run as the OS user {@code postgres}, since PostgreSQL refuses to run as root.
 *
 * <p>The binaries are taken from the system property {@code podkit.postgres.bin} when set, else
 * from the newest {@code /usr/lib/postgresql/<version>/bin}, else from the PATH.
 */
public final class PostgresServer extends LocalServer {
  private static final String OS_USER = "postgres";
  private static final String SUPERUSER = "postgres";
  private static final String HOST = "127.0.0.1";
  private static final String RELOADED = "reloading configuration files";

  private final Path data;
  private final Path sockets;
  private final Path log;
  /** The directory of the binaries with a trailing slash, or "" to search the PATH. */
  private final String bin;
  /** Whether this JVM runs as root, so initdb and postgres must run as {@link #OS_USER}. */
  private final boolean root;
  private final int port;
  private final String password;

  private PostgresServer(Path dir, boolean root, String password, int port) {
    super(dir, "postgres on port " + port);
    this.data = dir.resolve("data");
    this.sockets = dir.resolve("sockets");
    this.log = dir.resolve("postgres.log");
    this.bin = binDir();
    this.root = root;
    this.port = port;
    this.password = password;
  }

  /**
   * Makes a new cluster with superuser {@code postgres} whose password is {@code password}
   * (null: no password, TCP logins trusted), without starting it.
   */
  public static PostgresServer create(String password) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("podkit-pg-");
    boolean root = (Integer) Files.getAttribute(dir, "unix:uid") == 0;
    PostgresServer s = new PostgresServer(dir, root, password, Ports.free());
    try {
      s.initdb();
      return s;
    } catch (RuntimeException | IOException | InterruptedException e) {
      Trees.delete(dir);
      throw e;
    }
  }

  private void initdb() throws IOException, InterruptedException {
    Files.createDirectories(sockets);
    List<String> cmd = new ArrayList<>(List.of(bin + "initdb", "-D", data.toString(),
        "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
        "--auth-local=trust", "--auth-host=" + (password == null ? "trust" : "scram-sha-256")));
    Path pwfile = dir.resolve("pwfile");
    if (password != null) {
      Files.writeString(pwfile, password + "\n");
      cmd.add("--pwfile=" + pwfile);
    }
    if (root) {
      UserPrincipal owner =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
      for (Path p : List.of(dir, sockets, pwfile)) {
        if (Files.exists(p)) {
          Files.setOwner(p, owner);
        }
      }
    }
    try {
      ServerProcess.runOrFail(ServerProcess.asUser(OS_USER, root, cmd), Duration.ofMinutes(2));
    } finally {
      Files.deleteIfExists(pwfile);
    }
    writeHba(password == null ? "trust" : "scram-sha-256");
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** The superuser's name, {@code postgres}. */
  public String user() {
    return SUPERUSER;
  }

  /** The server's output, kept across restarts; read it when a test fails. */
  public Path logFile() {
    return log;
  }

  /** Starts the server without waiting for it to accept connections; see {@link #awaitReady}. */
  public void start() throws IOException {
    start(false);
  }

  /**
   * Starts the server as a standby with no primary and hot standby off: it stays up but answers
   * every login with SQLSTATE 57P03 ("the database system is not accepting connections"), the
   * code of a server still starting up, until {@link #stop}. {@link #awaitReady} never succeeds.
   */
  public void startInStandby() throws IOException {
    start(true);
  }

  private synchronized void start(boolean standby) throws IOException {
    checkStopped();
    Path signal = data.resolve("standby.signal");
    if (standby) {
      Files.writeString(signal, "");
    } else {
      Files.deleteIfExists(signal);
    }
    List<String> cmd = List.of(bin + "postgres", "-D", data.toString(),
        "-p", Integer.toString(port), "-k", sockets.toString(), "-c", "listen_addresses=" + HOST,
        // A test server need not survive power loss; this makes start and stop quicker.
        "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
        "-c", "max_connections=20", "-c", "shared_buffers=16MB", "-c", "log_connections=on",
        // Matters only in standby, where it makes the server refuse every login.
        "-c", "hot_standby=off");
    // SIGINT is PostgreSQL's fast shutdown: it ends sessions instead of waiting for them.
    started(ServerProcess.start(ServerProcess.asUser(OS_USER, root, cmd), log, "INT"));
  }

  /** Waits until the server accepts connections on its TCP port (pg_isready says so). */
  public void awaitReady(Duration timeout) throws InterruptedException {
    List<String> isReady = List.of(bin + "pg_isready", "-q", "-h", HOST,
        "-p", Integer.toString(port), "-t", "2");
    running().await("postgres on port " + port, timeout,
        () -> ServerProcess.run(isReady, Duration.ofSeconds(5)).exit() == 0);
  }

  /**
   * Sets how TCP logins authenticate ("trust", "password", "md5", "scram-sha-256", "reject")
   * and, when the server runs, reloads the configuration.
   */
  public void hostAuth(String method) throws IOException, InterruptedException {
    writeHba(method);
    ServerProcess s = runningOrNull();
    if (s != null) {
      long before = reloads();
      s.signal("HUP");
      // The postmaster logs this line just before it loads the new pg_hba.conf.
      s.await("reload of pg_hba.conf", Duration.ofSeconds(10), () -> reloads() > before);
    }
  }

  /** Runs SQL as the superuser over the Unix socket and returns psql's unaligned output. */
  public String sql(String statements) throws InterruptedException {
    running();
    return ServerProcess.runOrFail(List.of(bin + "psql", "-X", "-q", "-A", "-t",
        "-v", "ON_ERROR_STOP=1", "-h", sockets.toString(), "-p", Integer.toString(port),
        "-U", SUPERUSER, "-d", "postgres", "-c", statements), Duration.ofSeconds(30)).strip();
  }

  private void writeHba(String method) throws IOException {
    Files.writeString(data.resolve("pg_hba.conf"), "local all all trust\n"
        + "host all all 127.0.0.1/32 " + method + "\n"
        + "host all all ::1/128 " + method + "\n");
  }

  private long reloads() {
    try {
      return Files.readAllLines(log).stream().filter(l -> l.contains(RELOADED)).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  private static String binDir() {
    String configured = System.getProperty("podkit.postgres.bin");
    if (configured != null) {
      return configured + "/";
    }
    Path versions = Path.of("/usr/lib/postgresql");
    int newest = -1;
    if (Files.isDirectory(versions)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(versions)) {
        for (Path v : ds) {
          String name = v.getFileName().toString();
          if (name.matches("\\d{1,4}") && Files.isExecutable(v.resolve("bin/postgres"))) {
            newest = Math.max(newest, Integer.parseInt(name));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + versions, e);
      }
    }
    return newest < 0 ? "" : versions.resolve(newest + "/bin").toString() + "/";
  }
}
