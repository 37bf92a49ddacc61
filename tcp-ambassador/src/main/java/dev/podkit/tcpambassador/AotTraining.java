package dev.podkit.tcpambassador;

import dev.podkit.runtime.AotTrainingSupport;
import dev.podkit.runtime.Log;
import dev.podkit.runtime.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AOT cache's training run (the build starts the jar with {@code -Dpodkit.aot.train=true}):
 * runs the ambassador for real on loopback along the common path of a plain TCP ambassador
 * (options and a socat line, the event loops, DNS through /etc/hosts, the relay with half-close,
 * metrics, logs, the admin endpoint, the drain), so those classes are loaded and linked into the
 * cache. Not a user-facing mode.
 *
 * <p>Route files (Jackson) and TLS (netty-tcnative, the JDK's X.509 and key classes) are left
 * out on purpose: the JVM maps and loads every class of the cache at start, and the pages count in
 * the RSS of every ambassador, also the plain ones. With them the cache was 40 MB (about 12 MB of
 * it from a TLS route and a JSON route file); without them 27 MB. A proxy that uses them loads
 * those classes from the jar instead (bench/tcp-ambassador/tuning.md).
 */
final class AotTraining {
  private AotTraining() {}

  static void run() throws IOException, InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    TcpAmbassadorMain.run(new String[] {"TCP-LISTEN:1,fork,bogus", "TCP:x", "--retries", "x"}, Map.of(), sink, sink);
    TcpAmbassadorMain.run(new String[] {"--help"}, Map.of(), sink, sink);
    try (ServerSocket echo = new ServerSocket(0, 50, loopback)) {
      Thread server = echoLoop(echo);
      int a = free(loopback);
      int b = free(loopback);
      List<String> problems = new ArrayList<>();
      AmbassadorConfig socat = AmbassadorConfig.from(AmbassadorConfig.options("aot").parse(new String[] {
          "TCP-LISTEN:" + b + ",fork,reuseaddr,bind=127.0.0.1", "TCP:127.0.0.1:" + echo.getLocalPort()}, Map.of()), problems);
      AmbassadorConfig config = AmbassadorConfig.from(AmbassadorConfig.options("aot").parse(new String[] {
          "--listen", "127.0.0.1:" + a, "--upstream", "localhost:" + echo.getLocalPort() + ",127.0.0.1:" + echo.getLocalPort(),
          "--balance", "least_conn", "--admin-address", "off", "--access-log"}, Map.of()), problems);
      if (socat == null || config == null) {
        throw new IllegalStateException("training config: " + problems);
      }
      PrometheusMeterRegistry registry = Metrics.prometheus("tcp-ambassador");
      ProxyEvents events = ProxyEvents.of(new ProxyMetrics(registry, config.routes()),
          new ProxyLog(Log.named("tcp-ambassador"), Log.named("tcp-ambassador.access"), true));
      Ambassador ambassador = Ambassador.start(config, TlsContexts.none(), events);
      for (int i = 0; i < 20; i++) {
        roundTrip(new InetSocketAddress(loopback, a));
      }
      AotTrainingSupport.exerciseAdmin(() -> registry, "/readyz", "/livez", "/startupz", "/metrics");
      ambassador.drain(Duration.ofSeconds(2));
      server.interrupt();
      System.out.println("aot training run done");
    }
  }

  private static int free(InetAddress loopback) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
      return s.getLocalPort();
    }
  }

  /** Sends a few bytes, half-closes, and reads the echo to its end. */
  private static void roundTrip(InetSocketAddress at) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(at, 2000);
      s.setSoTimeout(2000);
      s.getOutputStream().write(new byte[4096]);
      s.shutdownOutput();
      s.getInputStream().readAllBytes();
    }
  }

  private static Thread echoLoop(ServerSocket server) {
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          // A platform thread: virtual threads would put their scheduler's classes into the cache,
          // which the ambassador itself never uses.
          Thread.ofPlatform().daemon().start(() -> {
            try (s) {
              s.getInputStream().transferTo(s.getOutputStream());
              s.shutdownOutput();
            } catch (IOException e) {
              // the client went away
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    }, "aot-echo");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
