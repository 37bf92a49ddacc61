package dev.podkit.initwaiter;

import dev.podkit.image.BuildInfo;
import dev.podkit.runtime.AdminServer;
import dev.podkit.runtime.ExitCode;
import dev.podkit.runtime.Health;
import dev.podkit.runtime.Log;
import dev.podkit.runtime.Metrics;
import dev.podkit.runtime.Options;
import dev.podkit.runtime.Signals;
import dev.podkit.runtime.Ticker;
import java.io.IOException;
import java.io.PrintStream;
import java.security.Security;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** init-waiter's entry point: wiring only. */
public final class InitWaiterMain {
  private static final Log LOG = Log.named("init-waiter");

  private InitWaiterMain() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("podkit.aot.train")) {
      AotTraining.run();
      return;
    }
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs init-waiter and returns its exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    // Ask DNS on every attempt: the JVM would otherwise cache answers for 30 s and failures
    // for 10 s, and a Service that appears late would be seen late.
    Security.setProperty("networkaddress.cache.ttl", "0");
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
    Options options = InitWaiterConfig.options(BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")");
    Options.Start<InitWaiterConfig> start = options.start(args, env, out, err, InitWaiterConfig.COMMON, InitWaiterConfig::from);
    if (start.config() == null) {
      return start.exit();
    }
    InitWaiterConfig config = start.config();

    Health health = new Health();
    health.notReady("waiting for targets");
    WaiterMetrics metrics = new WaiterMetrics(config.targets());
    Waiter waiter = new Waiter(config.targets(), config.policy(),
        WaiterEvents.of(new LogEvents(LOG), metrics), Ticker.system());
    AtomicReference<String> stoppedBy = new AtomicReference<>();
    Signals.onTermination(signal -> {
      stoppedBy.set(signal);
      health.notReady("stopping");
      waiter.stop();
    });

    LOG.info("waiting", "targets", config.targets().stream().map(Target::name).toList(),
        "mode", config.policy().any() ? "any" : "all", "timeout", config.policy().timeout());
    waiter.start();
    health.started();
    AtomicReference<AdminServer> admin = startAdmin(config, health, metrics);
    try {
      Outcome outcome = waiter.await();
      if (outcome.stopped()) {
        LOG.warn("stopped before the targets were ready", "signal", stoppedBy.get());
        return ExitCode.TERMINATED;
      }
      if (outcome.ready()) {
        health.ready();
        LOG.info("ready", "targets", outcome.targets().size(), "elapsed_ms", outcome.elapsed().toMillis());
        return ExitCode.OK;
      }
      LOG.error("timed out", "after", config.policy().timeout());
      return ExitCode.TIMEOUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted");
      return ExitCode.FAILURE;
    } finally {
      AdminServer a = admin.get();
      if (a != null) {
        a.close();
      }
    }
  }

  /**
   * Starts the admin endpoint on a thread of its own, after the probes: it never delays the first
   * attempt nor the exit. The metrics registry is made at the first scrape.
   */
  private static AtomicReference<AdminServer> startAdmin(InitWaiterConfig config, Health health,
      WaiterMetrics metrics) {
    AtomicReference<AdminServer> started = new AtomicReference<>();
    if (config.admin() == null) {
      return started;
    }
    Thread t = new Thread(() -> {
      try {
        started.set(AdminServer.start(config.admin(), health, Metrics.lazyPrometheus("init-waiter", metrics)));
      } catch (IOException e) {
        // The wait matters more than its metrics: report and go on without the endpoint.
        LOG.error("admin endpoint not started", "address", config.admin().toString(), "error", e.toString());
      }
    }, "admin-start");
    t.setDaemon(true);
    t.start();
    return started;
  }
}
