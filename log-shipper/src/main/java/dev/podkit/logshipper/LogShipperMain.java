package dev.podkit.logshipper;

import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailLog;
import dev.podkit.filetail.TailOptions;
import dev.podkit.image.BuildInfo;
import dev.podkit.runtime.AdminServer;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** log-shipper's entry point: wiring only. */
public final class LogShipperMain {
  private static final Log LOG = Log.named("log-shipper");

  private LogShipperMain() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("podkit.aot.train")) {
      AotTraining.run();
      return;
    }
    System.exit(run(args, System.getenv(), System.out, System.err, true));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean signals) {
    Options options = ShipperConfig.options(BuildInfo.VERSION + " (build " + BuildInfo.BUILD_ID + ")");
    Options.Start<ShipperConfig> start = options.start(args, env, out, err, ShipperConfig.COMMON, ShipperConfig::from);
    if (start.config() == null) {
      return start.exit();
    }
    ShipperConfig config = start.config();
    if (config.sink() == ShipperConfig.SinkKind.STDOUT) {
      // stdout carries the lines: the shipper's own log lines go to stderr, as JSON lines too.
      Log.redirect(new FileOutputStream(FileDescriptor.err));
    }
    Metadata metadata = new Metadata(env.get("POD_NAME"), env.get("POD_NAMESPACE"), env.get("NODE_NAME"),
        env.get("CONTAINER_NAME"));
    Checkpoints checkpoints = config.checkpointFile() == null ? null : Checkpoints.load(config.checkpointFile(), Ticker.system(), new CheckpointLog(LOG));
    BatchQueue queue = new BatchQueue(config.memoryLimitBytes());
    AtomicReference<Tailer> tailerRef = new AtomicReference<>();
    ShipperMetrics metrics = new ShipperMetrics(queue::bytes,
        () -> tailerRef.get() == null ? 0 : tailerRef.get().lagBytes());
    // Made at the first scrape: a shipper nobody scrapes does not pay for the registry.
    Supplier<PrometheusMeterRegistry> lazy = Metrics.lazyPrometheus("log-shipper", metrics);
    Supplier<PrometheusMeterRegistry> registry = () -> {
      PrometheusMeterRegistry r = lazy.get();
      metrics.syncFileLags(r); // the per-file series, as of this scrape
      return r;
    };
    Discovery discovery = new Discovery(config.includes(), config.excludes(), new DiscoveryLog(LOG));
    // Raw lines to stdout are printed as tail prints them: a CR before the newline stays.
    boolean asRead = config.sink() == ShipperConfig.SinkKind.STDOUT && !config.stdoutJson()
        && config.format().equals("raw") && config.multilineStart() == null;
    TailOptions tail = TailOptions.defaults().withMaxLineBytes(config.maxLineBytes(), config.longLines())
        .withPartialLineFlush(config.partialLineFlush()).withGoneTimeout(config.goneTimeout()).withStripCr(!asRead);
    Tailer tailer = new Tailer(discovery::scan,
        path -> checkpoints == null ? Optional.empty() : checkpoints.get(path),
        config.fromEnd() ? Start.end() : Start.beginning(), tail, config.batch(), queue, config.scanInterval(),
        config.pollInterval(), Ticker.system(), TailEvents.both(new TailLog(LOG), metrics), metrics);
    tailerRef.set(tailer);
    if (!config.format().equals("raw") || config.multilineStart() != null) {
      tailer.decode(config.format().equals("raw") ? null
              : () -> dev.podkit.logformat.Formats.create(config.format(), dev.podkit.logformat.FormatOptions.defaults()),
          config.multilineStart() == null ? null : new dev.podkit.filetail.MultilineOptions(config.multilineStart(),
              config.multilineMaxLines(), config.maxLineBytes(), config.multilineTimeout()));
    }
    if (config.exitAtEof()) {
      tailer.stopAtEndOfFiles();
    } else {
      tailer.watch(DirectoryWatch.open(), discovery::folders); // new files at once, not at the next scan
    }
    if (checkpoints != null) {
      tailer.remember(checkpoints.positions());
      // Entries of files no scan has found for a day are dropped: the file must not grow forever.
      tailer.onScan(paths -> {
        checkpoints.seen(paths);
        checkpoints.forgetUnseen(java.time.Duration.ofHours(24));
      });
    }
    AdminServer admin = null;
    try (Sink sink = Sinks.create(config, metadata, metrics)) {
      if (config.format().equals("raw") && config.multilineStart() == null) {
        tailer.encode(sink.encoder()); // lines need no decoding: straight into the sink's form
      }
      Health health = new ShipperHealth(tailer, sink, config.maxLagBytes());
      if (config.admin() != null) {
        admin = AdminServer.start(config.admin(), health, registry);
      }
      Delivery delivery = new Delivery(queue, sink,
          (path, position) -> { if (checkpoints != null) checkpoints.put(path, position); },
          () -> { if (checkpoints != null) checkpoints.saveIfChanged(); }, metrics);
      java.util.concurrent.atomic.AtomicBoolean sinkFailed = new java.util.concurrent.atomic.AtomicBoolean();
      Thread sender = new Thread(() -> {
        try {
          delivery.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.io.UncheckedIOException e) {
          sinkFailed.set(true);
          LOG.error("output closed; stopping", "error", e.getCause().toString());
          tailer.abort();
        }
      }, "sink");
      sender.start();
      CountDownLatch finished = new CountDownLatch(1);
      if (signals) {
        Shutdown.install(health, config.shutdownTimeout(), deadline -> {
          tailer.stop();
          if (!finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            sender.interrupt();
          }
        });
      }
      LOG.info("started", "paths", config.includes(), "sink", config.sink().name().toLowerCase(java.util.Locale.ROOT),
          "checkpoints", config.checkpointFile() == null ? "none" : config.checkpointFile().toString());
      health.ready();
      try {
        tailer.run();
        sender.join();
      } finally {
        finished.countDown();
      }
      return sinkFailed.get() ? ExitCode.FAILURE : ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILURE;
    } catch (IOException e) {
      LOG.error("stopped by an I/O error", "error", e.toString());
      return ExitCode.FAILURE;
    } finally {
      if (admin != null) {
        admin.close();
      }
    }
  }
}
