package dev.podkit.logshipper;

import dev.podkit.logshipper.sink.ElasticsearchSink;
import dev.podkit.logshipper.sink.HttpEndpoint;
import dev.podkit.logshipper.sink.HttpSink;
import dev.podkit.logshipper.sink.LokiSink;
import dev.podkit.logshipper.sink.RetryPolicy;
import dev.podkit.logshipper.sink.StdoutSink;
import dev.podkit.runtime.Ticker;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/** Builds the configured sink. */
final class Sinks {
  private Sinks() {}

  static Sink create(ShipperConfig c, Metadata metadata, SinkEvents events) {
    RetryPolicy retries = RetryPolicy.attempts(c.maxRetries())
        .withDropRefused(c.onRefused() == ShipperConfig.OnRefused.DROP);
    return switch (c.sink()) {
      case STDOUT -> new StdoutSink(new FileOutputStream(FileDescriptor.out),
          c.stdoutJson() ? StdoutSink.Mode.JSON : StdoutSink.Mode.RAW, metadata, Ticker.system(), events);
      case HTTP -> new HttpSink(endpoint(c), metadata, retries, Ticker.system(), events);
      case LOKI -> new LokiSink(endpoint(c), c.lokiLabels(), c.lokiTenant(), metadata, retries, Ticker.system(), events);
      case ELASTICSEARCH -> new ElasticsearchSink(endpoint(c), c.esIndex(), metadata, retries, Ticker.system(), events);
    };
  }

  private static HttpEndpoint endpoint(ShipperConfig c) {
    return HttpEndpoint.of(c.url()).withHeaders(c.headers()).withGzip(c.gzip());
  }
}
