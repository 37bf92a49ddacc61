package dev.podkit.tcpambassador;

import dev.podkit.image.BuildInfo;
import dev.podkit.runtime.AdminServer;
import dev.podkit.runtime.ExitCode;
import dev.podkit.runtime.Log;
import dev.podkit.runtime.Metrics;
import dev.podkit.runtime.NativeHeap;
import dev.podkit.runtime.Options;
import dev.podkit.runtime.Shutdown;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** tcp-ambassador's entry point: wiring only. */
public final class TcpAmbassadorMain {
  private static final Log LOG = Log.named("tcp-ambassador");

  private TcpAmbassadorMain() {}

  public static void main(String[] args) throws Exception {
    // The compilers' freed arenas go back to the kernel; first, so the training caches its classes too.
    NativeHeap.fixMmapThreshold(128 * 1024);
    if (Boolean.getBoolean("podkit.aot.train")) {
      AotTraining.run();
      return;
    }
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs until SIGTERM (then the shutdown sequence exits the process); returns early only on errors. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws InterruptedException {
    Options options = AmbassadorConfig.options(BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")");
    // TLS files are loaded while reading the config, so an unusable certificate is a usage error.
    record Setup(AmbassadorConfig config, TlsContexts tls) {}
    Options.Start<Setup> start = options.start(args, env, out, err, AmbassadorConfig.COMMON, (parsed, problems) -> {
      AmbassadorConfig c = AmbassadorConfig.from(parsed, problems);
      return c == null ? null
          : new Setup(c, TlsContexts.load(c.routes(), c.tlsProvider(), c.tlsHandshakeTimeout(), problems));
    });
    if (start.config() == null) {
      return start.exit();
    }
    AmbassadorConfig config = start.config().config();
    TlsContexts tls = start.config().tls();

    PrometheusMeterRegistry registry = Metrics.prometheus("tcp-ambassador");
    ProxyMetrics metrics = new ProxyMetrics(registry, config.routes());
    tls.forEach((route, side) -> side.getValue().roles().forEach(role ->
        metrics.certificateExpiry(route, role, () -> side.getValue().notAfterEpochSeconds(role))));
    ProxyEvents events = ProxyEvents.of(metrics,
        new ProxyLog(LOG, Log.named("tcp-ambassador.access"), config.accessLog()));
    AtomicReference<Ambassador> running = new AtomicReference<>();
    AmbassadorHealth health = new AmbassadorHealth(() -> running.get() != null && running.get().full(),
        config.maxConnections());
    Ambassador ambassador;
    try {
      ambassador = Ambassador.start(config, tls, events);
    } catch (IOException e) {
      LOG.error("cannot listen", "error", String.valueOf(e.getMessage()));
      return ExitCode.FAILURE;
    }
    running.set(ambassador);
    if (config.healthCheck().enabled()) {
      ambassador.balancers().forEach((route, balancer) -> metrics.endpointsDown(route, balancer::down));
    }
    AdminServer admin = null;
    if (config.admin() != null) {
      try {
        admin = AdminServer.start(config.admin(), health, () -> registry);
      } catch (IOException e) {
        LOG.error("cannot serve the admin endpoint", "address", config.admin().toString(), "error", e.toString());
        ambassador.close();
        return ExitCode.FAILURE;
      }
    }
    Shutdown.install(health, config.shutdownTimeout(), ambassador::drain);
    health.started();
    health.ready();
    LOG.info("listening", "routes", config.routes().stream().map(r -> r.name() + " -> "
            + String.join(",", r.upstreams().stream().map(HostPort::toString).toList())
            + (r.tls() != null ? " (tls)" : "")).toList(),
        "transport", ambassador.epoll() ? "epoll" : "nio", "tls_provider", tls.providerLabel(),
        "admin", config.admin() == null ? "off" : config.admin().toString());
    new CountDownLatch(1).await(); // the shutdown sequence ends the process
    return ExitCode.OK;
  }
}
