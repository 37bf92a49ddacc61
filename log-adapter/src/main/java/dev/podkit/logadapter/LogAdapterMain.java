package dev.podkit.logadapter;

import dev.podkit.logformat.LineParser;

import dev.podkit.image.BuildInfo;
import dev.podkit.logformat.FormatOptions;
import dev.podkit.logformat.Formats;
import dev.podkit.filetail.TailLog;
import dev.podkit.runtime.AdminServer;
import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.ExitCode;
import dev.podkit.runtime.Health;
import dev.podkit.runtime.Log;
import dev.podkit.runtime.Metrics;
import dev.podkit.runtime.Options;
import dev.podkit.runtime.Shutdown;
import dev.podkit.runtime.Ticker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** log-adapter's entry point: wiring only. */
public final class LogAdapterMain {
  private static final Log LOG = Log.named("log-adapter");

  private LogAdapterMain() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("podkit.aot.train")) {
      AotTraining.run();
      return;
    }
    System.exit(run(args, System.getenv(), System.out, System.err, true));
  }

  /**
   * Runs log-adapter and returns its exit code. {@code signals}: whether SIGTERM is handled here
   * (false when run inside another program, as the AOT training does).
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean signals) {
    Options options = LogAdapterConfig.options(BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")");
    // The format's parser is made while reading the config, so a bad format option is a usage error.
    record Setup(LogAdapterConfig config, LineParser parser) {}
    Options.Start<Setup> start = options.start(args, env, out, err, LogAdapterConfig.COMMON, (parsed, problems) -> {
      LogAdapterConfig c = LogAdapterConfig.from(parsed, env, problems);
      LineParser p = c == null ? null : parser(c, problems);
      return p == null ? null : new Setup(c, p);
    });
    if (start.config() == null) {
      return start.exit();
    }
    LogAdapterConfig config = start.config().config();
    LineParser parser = start.config().parser();
    if (config.output() == null) {
      // stdout carries the events: the adapter's own log lines go to stderr, as JSON lines too.
      Log.redirect(new FileOutputStream(FileDescriptor.err));
    }
    LogMetrics metrics = new LogMetrics(config.format());
    Supplier<PrometheusMeterRegistry> registry = Metrics.lazyPrometheus("log-adapter", metrics);
    Health health = new Health();
    AdminServer admin = null;
    try (Output output = output(config, metrics)) {
      if (config.admin() != null) {
        admin = AdminServer.start(config.admin(), health, registry);
      }
      Adapter adapter = new Adapter(parser, config.rules(), new SeverityRule(config.detectKeywords(), config.defaultSeverity()),
          Schema.of(config.schema(), config.messageKey(), config.extras(), config.gcpProject()), output, metrics);
      Input input = config.input() == null ? StdinInput.stdin(config.maxLineBytes()) : FileInput.of(config, new TailLog(LOG));
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(1);
      if (signals) {
        Shutdown.install(health, config.shutdownTimeout(), deadline -> {
          stop.set(true);
          finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        });
      }
      LOG.info("started", "input", config.input() == null ? "stdin" : config.input().toString(), "format", config.format(),
          "schema", config.schema().name().toLowerCase(java.util.Locale.ROOT),
          "output", config.output() == null ? "stdout" : LogAdapterConfig.redact(config.output()));
      health.started();
      health.ready();
      try {
        input.run(adapter, stop::get);
      } finally {
        finished.countDown();
      }
      return ExitCode.OK;
    } catch (IOException e) {
      LOG.error("stopped by an I/O error", "error", e.toString());
      return ExitCode.FAILURE;
    } finally {
      if (admin != null) {
        admin.close();
      }
    }
  }

  private static LineParser parser(LogAdapterConfig c, List<String> problems) {
    try {
      FormatOptions o = new FormatOptions(c.zone(), Clock.systemUTC(), c.regex(),
          c.timeFormat() == null ? null : DateTimeFormatter.ofPattern(c.timeFormat()), c.maxLineBytes());
      return Formats.create(c.format(), o);
    } catch (IllegalArgumentException e) {
      problems.add("--format: " + e.getMessage());
      return null;
    }
  }

  private static Output output(LogAdapterConfig c, AdapterEvents events) throws IOException {
    if (c.output() == null) {
      return StreamOutput.stdout();
    }
    if (c.output().getScheme().equalsIgnoreCase("file")) {
      return StreamOutput.file(Path.of(c.output().getPath()));
    }
    return new HttpOutput(c.output(), c.batchBytes(), c.batchLinger(), c.httpTimeout(),
        new Backoff(Duration.ofMillis(200), 2, Duration.ofSeconds(30)), Ticker.system(), events);
  }
}
