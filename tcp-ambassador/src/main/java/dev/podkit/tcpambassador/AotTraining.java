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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AOT cache's training run (the build starts the jar with {@code -Dpodkit.aot.train=true}):
 * runs the ambassador for real on loopback, so the classes of the common paths (options, socat
 * addresses, a YAML route file, the event loops, DNS through /etc/hosts, the relay with
 * half-close, metrics, logs, TLS context set-up, the admin endpoint, the drain) are loaded and
 * linked into the cache. Not a user-facing mode.
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
      Path routes = Files.createTempFile("podkit-aot", ".yaml");
      Files.writeString(routes, "routes:\n  - listen: \"127.0.0.1:" + a + "\"\n    upstream: [localhost:" + echo.getLocalPort()
          + ", 127.0.0.1:" + echo.getLocalPort() + "]\n    balance: least_conn\n");
      List<String> problems = new ArrayList<>();
      AmbassadorConfig config = AmbassadorConfig.from(AmbassadorConfig.options("aot").parse(new String[] {
          "--config", routes.toString(), "--admin-address", "off", "--access-log",
          "TCP-LISTEN:" + b + ",fork,reuseaddr,bind=127.0.0.1", "TCP:127.0.0.1:" + echo.getLocalPort()}, Map.of()), problems);
      Files.deleteIfExists(routes);
      if (config == null) {
        throw new IllegalStateException("training config: " + problems);
      }
      new UpstreamTlsContext("aot", new UpstreamTls(false, null, true, null, null, null),
          TlsEngine.AUTO.resolve(problems), Duration.ofSeconds(1)).load(problems);
      PrometheusMeterRegistry registry = Metrics.prometheus("tcp-ambassador");
      ProxyEvents events = ProxyEvents.of(new ProxyMetrics(registry, config.routes()),
          new ProxyLog(Log.named("tcp-ambassador"), Log.named("tcp-ambassador.access"), true));
      Ambassador ambassador = Ambassador.start(config, TlsContexts.none(), events);
      for (int i = 0; i < 20; i++) {
        roundTrip(new InetSocketAddress(loopback, i % 2 == 0 ? a : b));
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
          Thread.ofVirtual().start(() -> {
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
