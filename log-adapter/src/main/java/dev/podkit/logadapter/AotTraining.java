package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import com.sun.net.httpserver.HttpServer;
import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailOptions;
import dev.podkit.logformat.FormatOptions;
import dev.podkit.logformat.Formats;
import dev.podkit.runtime.AotTrainingSupport;
import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.Metrics;
import dev.podkit.runtime.Ticker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The AOT cache's training run (the build starts the jar with {@code -Dpodkit.aot.train=true}):
 * every format through every schema, a followed file, the HTTP output against a server on
 * loopback, and the admin endpoint with its metrics, so their classes are loaded and linked into
 * the cache. Not a user-facing mode.
 */
final class AotTraining {
  private static final Map<String, String> SAMPLES = Map.of(
      "plain", "raw_log_line\nERROR something broke\n",
      "nginx", "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET /a HTTP/1.1\" 200 12 \"-\" \"curl/8\"\n",
      "syslog", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n<165>1 2003-10-11T22:14:15.003Z host app 1 ID47 - hi\n",
      "logfmt", "level=warn msg=\"disk full\" ts=2024-01-01T00:00:00Z\n",
      "json", "{\"msg\":\"hello\",\"ts\":1704067200,\"level\":\"info\",\"ctx\":{\"a\":[1,2]}}\n",
      "cri", "2024-01-01T00:00:00.1Z stdout P part\n2024-01-01T00:00:00.2Z stdout F end\n",
      "docker", "{\"log\":\"one \",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}\n{\"log\":\"two\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}\n");

  private AotTraining() {}

  static void run() throws IOException {
    LogMetrics metrics = new LogMetrics("plain");
    Supplier<PrometheusMeterRegistry> registry = Metrics.lazyPrometheus("log-adapter", metrics);
    FormatOptions formatOptions = FormatOptions.defaults();
    for (int round = 0; round < 200; round++) {
      for (var e : SAMPLES.entrySet()) {
        for (Schema.Name name : Schema.Name.values()) {
          Adapter a = new Adapter(Formats.create(e.getKey(), formatOptions), FieldRules.NONE,
              new SeverityRule(true, Severity.INFO), Schema.of(name, "msg", Schema.Extras.NONE, "p"),
              StreamOutput.of(OutputStream.nullOutputStream()), metrics);
          new StdinInput(new ByteArrayInputStream(e.getValue().getBytes(StandardCharsets.UTF_8)), 1 << 20)
              .run(a, () -> false);
        }
      }
    }
    followFile(metrics);
    postOverHttp(metrics);
    AotTrainingSupport.exerciseAdmin(registry, "/metrics", "/readyz", "/livez");
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    LogAdapterMain.run(new String[] {"--help"}, Map.of(), sink, sink, false);
    LogAdapterMain.run(new String[] {"--format", "nope", "--schema", "x"}, Map.of(), sink, sink, false);
    System.out.println("aot training done");
  }

  private static void followFile(LogMetrics metrics) throws IOException {
    Path f = Files.createTempFile("podkit-aot", ".log");
    try {
      Files.writeString(f, SAMPLES.get("nginx").repeat(50));
      Adapter a = new Adapter(Formats.create("nginx", FormatOptions.defaults()), FieldRules.NONE,
          new SeverityRule(true, null), Schema.of(Schema.Name.GCP, "msg", Schema.Extras.NONE, null),
          StreamOutput.of(OutputStream.nullOutputStream()), metrics);
      new FileInput(f, Start.beginning(), TailOptions.defaults(), null, Duration.ofMillis(10), Ticker.system(),
          TailEvents.NONE).run(a, () -> true);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  private static void postOverHttp(LogMetrics metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    server.start();
    try (HttpOutput out = new HttpOutput(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
        1 << 16, Duration.ZERO, Duration.ofSeconds(5), new Backoff(Duration.ofMillis(10), 2, Duration.ofMillis(50)),
        Ticker.system(), metrics)) {
      byte[] line = "{\"msg\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
      out.write(line, 0, line.length);
      out.flush();
    } finally {
      server.stop(0);
    }
  }

}
