package dev.podkit.logshipper;

import com.sun.net.httpserver.HttpServer;
import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailOptions;
import dev.podkit.logshipper.sink.HttpEndpoint;
import dev.podkit.logshipper.sink.HttpSink;
import dev.podkit.logshipper.sink.LokiSink;
import dev.podkit.logshipper.sink.RetryPolicy;
import dev.podkit.logshipper.sink.StdoutSink;
import dev.podkit.runtime.AotTrainingSupport;
import dev.podkit.runtime.Metrics;
import dev.podkit.runtime.Ticker;
import dev.podkit.runtime.Trees;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AOT cache's training run (the build starts the jar with {@code -Dpodkit.aot.train=true}):
 * tails a file into the stdout sink (raw and JSON), the HTTP and Loki sinks against a server on
 * loopback, with checkpoints, discovery and the admin endpoint, so their classes are loaded and
 * linked into the cache. Not a user-facing mode.
 */
final class AotTraining {
  private AotTraining() {}

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("podkit-aot");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    server.start();
    try {
      Path log = dir.resolve("app.log");
      Files.writeString(log, "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n".repeat(200));
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      ship(dir, log, new StdoutSink(OutputStream.nullOutputStream(), StdoutSink.Mode.RAW, Metadata.NONE,
          Ticker.system(), SinkEvents.NONE));
      ship(dir, log, new StdoutSink(OutputStream.nullOutputStream(), StdoutSink.Mode.JSON,
          new Metadata("p", "ns", "n", "c"), Ticker.system(), SinkEvents.NONE));
      ship(dir, log, new HttpSink(HttpEndpoint.of(base).withGzip(true), Metadata.NONE, RetryPolicy.attempts(3),
          Ticker.system(), SinkEvents.NONE));
      ship(dir, log, new LokiSink(HttpEndpoint.of(base), Map.of("job", "aot"), null, Metadata.NONE,
          RetryPolicy.attempts(3), Ticker.system(), SinkEvents.NONE));
      ShipperMetrics metrics = new ShipperMetrics(() -> 0, () -> 0); // the lazy registry, as the shipper binds it
      AotTrainingSupport.exerciseAdmin(Metrics.lazyPrometheus("log-shipper", metrics), "/metrics", "/readyz", "/startupz");
      PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
      LogShipperMain.run(new String[] {"--help"}, Map.of(), sink, sink, false);
      LogShipperMain.run(new String[] {"relative", "--sink", "x"}, Map.of(), sink, sink, false);
      // The real start as a container makes it (options, signal handling, the sink's thread,
      // the JSON log lines), into the HTTP sink: without it a start loaded about 50 classes from
      // the jars and spun its lambdas and method handles at run time.
      LogShipperMain.run(new String[] {"--admin-address", "off", "--exit-at-eof", "--sink", "http", "--url",
          base.toString(), log.toString()}, Map.of(), sink, sink, true);
      // And to stdout (the training's output), last: it sends the shipper's own log to stderr.
      LogShipperMain.run(new String[] {"--admin-address", "off", "--exit-at-eof", "--json", log.toString()}, Map.of(),
          sink, sink, true);
      System.out.println("aot training done");
    } finally {
      server.stop(0);
      Trees.delete(dir);
    }
  }

  /** Tails {@code log} once through {@code sink}, with checkpoints, as the shipper does. */
  private static void ship(Path dir, Path log, Sink sink) throws Exception {
    Checkpoints checkpoints = Checkpoints.load(dir.resolve("positions.json"), Ticker.system(), CheckpointEvents.NONE);
    BatchQueue queue = new BatchQueue(8 << 20);
    ShipperMetrics metrics = new ShipperMetrics(queue::bytes, () -> 0);
    Discovery discovery = new Discovery(List.of(dir + "/*.log"), List.of(), DiscoveryEvents.NONE);
    Tailer tailer = new Tailer(discovery::scan, p -> Optional.empty(), Start.beginning(), TailOptions.defaults(),
        new BatchPolicy(50, 1 << 20, Duration.ofMillis(10)), queue, Duration.ofMillis(10), Duration.ofMillis(5),
        Ticker.system(), TailEvents.NONE, metrics);
    tailer.encode(sink.encoder());
    tailer.watch(DirectoryWatch.open(), discovery::folders); // the watch service's classes, as the shipper's
    Delivery delivery = new Delivery(queue, sink, checkpoints::put, checkpoints::saveIfChanged, metrics);
    delivery.alongside(tailer);
    sink.close();
  }

}
