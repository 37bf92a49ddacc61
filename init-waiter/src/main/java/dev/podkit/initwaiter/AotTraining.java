package dev.podkit.initwaiter;

import com.sun.net.httpserver.HttpServer;
import dev.podkit.runtime.AotTrainingSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The AOT cache's training run (the build starts the jar with {@code -Dpodkit.aot.train=true}):
 * runs init-waiter for real against servers it starts on loopback, so the classes of every
 * common path (options, TCP, HTTP, DNS, file, Redis, PostgreSQL, logging, the admin endpoint's
 * health answers) are loaded and linked into the cache. Not a user-facing mode.
 *
 * <p>The metrics registry is left out on purpose: every class in the cache is loaded when the JVM
 * starts, and Micrometer's would add about 13 ms before the first probe of every run
 * (bench/init-waiter/jvm-flags.md), while an init container is seldom scraped; a scrape makes the
 * registry then.
 */
final class AotTraining {
  private AotTraining() {}

  static void run() throws IOException, InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    HttpServer http = HttpServer.create(new InetSocketAddress(loopback, 0), 8);
    http.createContext("/", x -> {
      byte[] body = "ok\n".getBytes();
      x.sendResponseHeaders(200, body.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(body);
      }
    });
    http.start();
    try (ServerSocket tcp = new ServerSocket(0, 50, loopback);
         ServerSocket redis = new ServerSocket(0, 50, loopback)) {
      Thread accept = acceptLoop(tcp, null);
      Thread redisLoop = acceptLoop(redis, "+PONG\r\n".getBytes());
      Path file = Files.createTempFile("podkit-aot", ".txt");
      Files.writeString(file, "x");
      AotTrainingSupport.exerciseAdmin(() -> null, "/readyz", "/livez", "/startupz");
      String h = "127.0.0.1:";
      PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
      // A usage error and the help text, then a real wait (log lines go to the training log).
      InitWaiterMain.run(new String[] {"bogus://x", "--timeout", "soon"}, Map.of(), sink, sink);
      InitWaiterMain.run(new String[] {"--help"}, Map.of(), sink, sink);
      int code = InitWaiterMain.run(new String[] {
          "tcp://" + h + tcp.getLocalPort(), "http://" + h + http.getAddress().getPort() + "/#body=ok",
          "dns://localhost", "file://" + file, "redis://" + h + redis.getLocalPort(),
          "postgres://" + h + tcp.getLocalPort(), "--timeout", "3s", "--attempt-timeout", "300ms",
          "--admin-address", "off"}, Map.of(), sink, sink);
      accept.interrupt();
      redisLoop.interrupt();
      Files.deleteIfExists(file);
      System.out.println("aot training run exit code " + code);
    } finally {
      http.stop(0);
    }
  }


  /** Accepts connections; answers {@code reply} to what arrives, or closes at once. */
  private static Thread acceptLoop(ServerSocket server, byte[] reply) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try (Socket s = server.accept()) {
          if (reply != null) {
            s.setSoTimeout(1000);
            s.getInputStream().read(new byte[256]);
            s.getOutputStream().write(reply);
          }
        } catch (IOException e) {
          return;
        }
      }
    }, "aot-accept");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
