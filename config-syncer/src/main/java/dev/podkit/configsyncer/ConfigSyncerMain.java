package dev.podkit.configsyncer;

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
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** config-syncer's entry point: wiring only. */
public final class ConfigSyncerMain {
  private static final Log LOG = Log.named("config-syncer");

  private ConfigSyncerMain() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("podkit.aot.train")) {
      AotTraining.run();
      return;
    }
    System.exit(run(args, System.getenv(), System.out, System.err, true));
  }

  /** Runs config-syncer and returns its exit code; {@code signals} installs the SIGTERM handler. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean signals) {
    Options options = SyncerConfig.options(BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")");
    Options.Start<SyncerConfig> start = options.start(args, env, out, err, SyncerConfig.COMMON,
        (parsed, problems) -> SyncerConfig.from(parsed, problems, env));
    if (start.config() == null) {
      return start.exit();
    }
    SyncerConfig config = start.config();
    // JGit and MINA sshd log through SLF4J, which the image has no binding for: name slf4j-api's
    // own no-op provider, rather than have SLF4J print warnings (or, for a provider name that
    // does not exist, an error with a stack trace) on stderr. What they report reaches the log
    // as sync failures.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }

    Health health = new Health();
    health.notReady("no successful sync yet");
    health.notStarted("no successful sync yet");
    SyncMetrics metrics = new SyncMetrics(InstantSource.system());
    SyncEvents events = SyncEvents.of(new SyncLog(LOG), metrics);
    AdminServer admin = null;
    try (Notifications notifications = new Notifications(config.notifiers(), SyncerConfig.notifyBackoff(start.parsed()), events)) {
      Publisher publisher = new Publisher(config.target(), InstantSource.system(), new PublishLog(LOG));
      Syncer syncer = new Syncer(config.source(), publisher, config.target(), config.limits(),
          new SyntaxCheck(config.checks()), events, Ticker.system());
      SyncLoop loop = new SyncLoop(syncer, config.schedule(), notifications, config.notifyFirst(), health,
          Ticker.system(), ThreadLocalRandom.current());
      if (config.admin() != null) {
        admin = AdminServer.start(config.admin(), health, Metrics.lazyPrometheus("config-syncer", metrics));
      }
      if (signals) {
        Signals.onTermination(signal -> {
          LOG.info("stopping", "signal", signal);
          health.notReady("stopping");
          loop.stop();
          Watchdog.exitAfter(config.shutdownTimeout());
        });
      }
      LOG.info("started", "source", config.source().describe(), "target", config.target().toString(),
          "mode", config.once() ? "once" : "sidecar", "period", config.schedule().period());
      int code = config.once() ? loop.once(config.timeout()) : loop.forever();
      if (code == ExitCode.TIMEOUT) {
        LOG.error("no successful sync before the timeout", "timeout", config.timeout());
      } else if (code == ExitCode.TERMINATED) {
        LOG.warn("stopped before a successful sync");
      }
      return code;
    } catch (IOException e) {
      LOG.error("cannot use the target folder", "target", config.target().toString(), "error", e.toString());
      return ExitCode.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILURE;
    } finally {
      if (admin != null) admin.close();
    }
  }

  /** Ends the process if a stop takes longer than the shutdown timeout (a sync that does not let go). */
  private static final class Watchdog {
    static void exitAfter(java.time.Duration timeout) {
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(timeout);
          LOG.warn("shutdown timeout passed; exiting with a sync still running", "timeout", timeout);
          Runtime.getRuntime().halt(ExitCode.FAILURE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "shutdown-watchdog");
      t.setDaemon(true);
      t.start();
    }
  }
}
