package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Git remote made with the {@code git} CLI: a bare repository {@code repo.git} and a work
 * clone a test commits into and pushes from, served over {@code file://}, {@code git daemon}
 * ({@code git://}) or smart HTTP through {@code git http-backend} (a CGI bridge on the JDK's HTTP
 * server, optionally behind basic auth, as a token-protected Git host is). All on loopback.
 */
public final class GitRemote implements AutoCloseable {
  private static final Duration GIT = Duration.ofSeconds(30);

  private final Path root;
  private final Path bare;
  private final Path work;
  private final List<AutoCloseable> servers = new ArrayList<>();
  private final AtomicInteger unauthorized = new AtomicInteger();

  private GitRemote(Path root) {
    this.root = root;
    this.bare = root.resolve("repo.git");
    this.work = root.resolve("work");
  }

  /** A new empty remote under {@code root} (a test's temp folder), branch {@code main}. */
  public static GitRemote create(Path root) {
    GitRemote r = new GitRemote(root);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    r.git(root, "init", "-q", "--bare", "-b", "main", r.bare.toString());
    r.git(root, "init", "-q", "-b", "main", r.work.toString());
    r.git(r.work, "config", "user.email", "test@podkit.invalid");
    r.git(r.work, "config", "user.name", "podkit test");
    r.git(r.work, "remote", "add", "origin", r.bare.toString());
    return r;
  }

  /**
   * Writes the files (name, content, name, content...; a null content deletes), commits them on
   * the current branch, pushes, and returns the commit id.
   */
  public String commit(String message, String... namesAndContents) {
    try {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        Path f = work.resolve(namesAndContents[i]);
        if (namesAndContents[i + 1] == null) {
          Files.deleteIfExists(f);
        } else {
          Files.createDirectories(f.getParent());
          Files.writeString(f, namesAndContents[i + 1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(work, "add", "-A");
    git(work, "commit", "-q", "--allow-empty", "-m", message);
    String branch = git(work, "rev-parse", "--abbrev-ref", "HEAD").strip();
    git(work, "push", "-q", "origin", branch);
    return git(work, "rev-parse", "HEAD").strip();
  }

  /** A symbolic link {@code name -> target} in the work tree, committed and pushed. */
  public String commitSymlink(String name, String target) {
    try {
      Path link = work.resolve(name);
      Files.createDirectories(link.getParent());
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return commit("link " + name);
  }

  /** Runs {@code git args...} in the work clone (checkout -b, tag, push --tags...); returns its output. */
  public String inWork(String... args) {
    return git(work, args);
  }

  /** {@code file:///.../repo.git}. */
  public String fileUrl() {
    return bare.toUri().toString();
  }

  /** Serves the bare repository with {@code git daemon} on a free loopback port; returns its git:// URL. */
  public String daemon() {
    int port = Ports.free();
    try {
      ServerProcess p = ServerProcess.start(List.of("git", "daemon", "--reuseaddr", "--export-all",
          "--listen=127.0.0.1", "--port=" + port, "--base-path=" + root, root.toString()),
          root.resolve("daemon.log"), "TERM");
      servers.add(() -> p.stop(Duration.ofSeconds(5)));
      p.await("git daemon", Duration.ofSeconds(20), () -> canConnect(port));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("git daemon did not start", e);
    }
    return "git://127.0.0.1:" + port + "/repo.git";
  }

  /**
   * Serves the bare repository over smart HTTP ({@code git http-backend}); with a non-null
   * {@code token}, only to basic auth {@code user:token}. Returns its http:// URL.
   */
  public String httpBackend(String user, String token) {
    HttpServer server = LoopbackHttp.start(0, x -> cgi(x, user, token), Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "git-http-backend");
      t.setDaemon(true);
      return t;
    }));
    servers.add(() -> server.stop(0));
    return LoopbackHttp.url(server) + "/repo.git";
  }

  /** Requests refused for missing or wrong credentials. */
  public int unauthorized() {
    return unauthorized.get();
  }

  private void cgi(HttpExchange x, String user, String token) throws IOException {
    try (x) {
      if (token != null) {
        String want = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        if (!want.equals(x.getRequestHeaders().getFirst("Authorization"))) {
          unauthorized.incrementAndGet();
          x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
          x.sendResponseHeaders(401, -1);
          return;
        }
      }
      ProcessBuilder pb = new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
      Map<String, String> env = pb.environment();
      env.put("GIT_PROJECT_ROOT", root.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", x.getRequestMethod());
      env.put("PATH_INFO", x.getRequestURI().getPath());
      env.put("QUERY_STRING", x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery());
      env.put("REMOTE_ADDR", "127.0.0.1");
      if (token != null) env.put("REMOTE_USER", user);
      String type = x.getRequestHeaders().getFirst("Content-Type");
      if (type != null) env.put("CONTENT_TYPE", type);
      String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null) env.put("HTTP_CONTENT_ENCODING", encoding);
      String protocol = x.getRequestHeaders().getFirst("Git-Protocol");
      if (protocol != null) env.put("GIT_PROTOCOL", protocol);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream(); InputStream body = x.getRequestBody()) {
        body.transferTo(in);
      }
      InputStream out = p.getInputStream();
      int status = 200;
      String line;
      while (!(line = readLine(out)).isEmpty()) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          x.getResponseHeaders().add(name, value);
        }
      }
      x.sendResponseHeaders(status, 0);
      try (OutputStream o = x.getResponseBody()) {
        out.transferTo(o);
      }
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') b.append((char) c);
    }
    return b.toString();
  }

  private static boolean canConnect(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      return ServerProcess.runOrFail(command, GIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable s : servers) s.close();
  }
}
