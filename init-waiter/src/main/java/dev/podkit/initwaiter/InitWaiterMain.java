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
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.security.Security;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
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
    Options.Parsed parsed = options.parse(args, env);
    if (parsed.help()) {
      out.print(options.helpText());
      out.flush();
      return ExitCode.OK;
    }
    if (parsed.version()) {
      out.print(options.versionText());
      out.flush();
      return ExitCode.OK;
    }
    List<String> problems = new ArrayList<>();
    InitWaiterConfig config = InitWaiterConfig.from(parsed, problems);
    if (config == null) {
      return options.usageError(problems, err);
    }
    InitWaiterConfig.COMMON.configureLogging(parsed);

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

    LOG.info("waiting", "targets", config.targets().stream().map(Target::name).toList().toString(),
        "mode", config.policy().any() ? "any" : "all", "timeout", config.policy().timeout());
    long firstProbeAt = System.currentTimeMillis();
    waiter.start();
    health.started();
    AdminServer admin = startAdmin(config, health, metrics);
    // Read after the probes started: the JVM's own start time, and the CPU it took to get there.
    long startupMs = firstProbeAt - ManagementFactory.getRuntimeMXBean().getStartTime();
    try {
      Outcome outcome = waiter.await();
      if (outcome.stopped()) {
        LOG.warn("stopped before the targets were ready", "signal", stoppedBy.get());
        return ExitCode.TERMINATED;
      }
      if (outcome.ready()) {
        health.ready();
        LOG.info("ready", "targets", outcome.targets().size(), "elapsed_ms", outcome.elapsed().toMillis(),
            "jvm_start_to_first_probe_ms", startupMs);
        return ExitCode.OK;
      }
      LOG.error("timed out", "after", config.policy().timeout(), "jvm_start_to_first_probe_ms", startupMs);
      return ExitCode.TIMEOUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted");
      return ExitCode.FAILURE;
    } finally {
      if (admin != null) {
        admin.close();
      }
    }
  }

  /** Starts the admin endpoint after the probes, so it never delays the first attempt. */
  private static AdminServer startAdmin(InitWaiterConfig config, Health health, WaiterMetrics metrics) {
    if (config.admin() == null) {
      return null;
    }
    AtomicReference<PrometheusMeterRegistry> registry = new AtomicReference<>();
    try {
      AdminServer admin = AdminServer.start(config.admin(), health, registry::get);
      PrometheusMeterRegistry r = Metrics.prometheus("init-waiter");
      metrics.bindTo(r);
      registry.set(r);
      LOG.debug("admin endpoint listening", "address", admin.address().toString());
      return admin;
    } catch (IOException e) {
      // The wait matters more than its metrics: report and go on without the endpoint.
      LOG.error("admin endpoint not started", "address", config.admin().toString(), "error", e.toString());
      return null;
    }
  }
}
