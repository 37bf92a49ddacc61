package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ShipperMetricsTest {
  @Test
  void firstScrape_afterWork_showsEverythingCountedBeforeTheRegistryExisted() {
    ShipperMetrics metrics = new ShipperMetrics(() -> 4096, () -> 100);
    metrics.read(1000);
    metrics.read(24);
    metrics.readLines(5);
    metrics.delivered(2, 8, 20_000_000L); // "one", "three"
    metrics.batchDone(20_000_000L); // 20 ms
    metrics.retried("status 503");
    metrics.rejected(7, "status 400");
    metrics.invalidUtf8(2);
    metrics.files(3);
    Supplier<PrometheusMeterRegistry> registry = Metrics.lazyPrometheus("log-shipper", metrics);

    String text = registry.get().scrape();

    assertLine(text, "podkit_log_shipper_read_bytes_total{image=\"log-shipper\"} 1024.0");
    assertLine(text, "podkit_log_shipper_read_lines_total{image=\"log-shipper\"} 5.0");
    assertLine(text, "podkit_log_shipper_sent_lines_total{image=\"log-shipper\"} 2.0");
    assertLine(text, "podkit_log_shipper_sent_bytes_total{image=\"log-shipper\"} 8.0");
    assertLine(text, "podkit_log_shipper_retries_total{image=\"log-shipper\"} 1.0");
    assertLine(text, "podkit_log_shipper_dropped_lines_total{image=\"log-shipper\",reason=\"status 400\"} 7.0");
    assertLine(text, "podkit_log_shipper_invalid_utf8_total{image=\"log-shipper\"} 2.0");
    assertLine(text, "podkit_log_shipper_files{image=\"log-shipper\"} 3.0");
    assertLine(text, "podkit_log_shipper_queued_bytes{image=\"log-shipper\"} 4096.0");
    assertLine(text, "podkit_log_shipper_lag_bytes{image=\"log-shipper\"} 100.0");
    assertLine(text, "podkit_log_shipper_sink_latency_seconds_bucket{image=\"log-shipper\",le=\"0.01\"} 0");
    assertLine(text, "podkit_log_shipper_sink_latency_seconds_bucket{image=\"log-shipper\",le=\"0.025\"} 1");
    assertLine(text, "podkit_log_shipper_sink_latency_seconds_count{image=\"log-shipper\"} 1");
  }

  @Test
  void scrape_afterNewWorkAndANewDropReason_showsBoth() {
    ShipperMetrics metrics = new ShipperMetrics(() -> 0, () -> 0);
    Supplier<PrometheusMeterRegistry> registry = Metrics.lazyPrometheus("log-shipper", metrics);
    registry.get().scrape();

    metrics.read(5);
    metrics.rejected(2, "mapper_parsing_exception");
    metrics.rejected(1, "mapper_parsing_exception");
    String text = registry.get().scrape();

    assertLine(text, "podkit_log_shipper_read_bytes_total{image=\"log-shipper\"} 5.0");
    assertLine(text, "podkit_log_shipper_dropped_lines_total{image=\"log-shipper\",reason=\"mapper_parsing_exception\"} 3.0");
  }

  @Test
  void fileLags_oneSeriesPerFollowedFile_addedUpdatedAndRemovedAtEachScrape() {
    ShipperMetrics metrics = new ShipperMetrics(() -> 0, () -> 0);
    Supplier<PrometheusMeterRegistry> lazy = Metrics.lazyPrometheus("log-shipper", metrics);
    Supplier<PrometheusMeterRegistry> registry = () -> {
      metrics.syncFileLags(lazy.get());
      return lazy.get();
    };
    metrics.fileLag("/var/log/a.log").set(100);
    metrics.fileLag("/var/log/b.log").set(0);
    String text = registry.get().scrape();
    assertLine(text, "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"/var/log/a.log\"} 100.0");
    assertLine(text, "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"/var/log/b.log\"} 0.0");

    metrics.fileLag("/var/log/a.log").set(7);
    metrics.fileLetGo("/var/log/b.log");
    text = registry.get().scrape();
    assertLine(text, "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"/var/log/a.log\"} 7.0");
    assertTrue(text.lines().noneMatch(l -> l.contains("b.log")), text);

    metrics.fileLag("/var/log/b.log").set(3); // followed again: a new series
    assertLine(registry.get().scrape(), "podkit_log_shipper_file_lag_bytes{image=\"log-shipper\",path=\"/var/log/b.log\"} 3.0");
  }

  private static void assertLine(String text, String line) {
    assertTrue(text.lines().anyMatch(line::equals), () -> "no line '" + line + "' in:\n" + text);
  }
}
