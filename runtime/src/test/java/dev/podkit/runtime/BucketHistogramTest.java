package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketHistogramTest {
  @Test
  void recordsBeforeTheRegistryExists_andScrapesAsACumulativeClassicHistogram() {
    BucketHistogram h = new BucketHistogram("podkit_test_wait", "Waits", "test", 0.1, 1);
    h.record(0.05);
    h.record(0.1); // a bound is inside its bucket (le)
    h.record(0.5);
    h.record(7);
    List<String> lines = Metrics.lazyPrometheus("test", h).get().scrape().lines()
        .filter(l -> l.startsWith("podkit_test_wait")).toList();
    assertEquals(List.of(
        "podkit_test_wait_seconds_bucket{image=\"test\",le=\"0.1\"} 2",
        "podkit_test_wait_seconds_bucket{image=\"test\",le=\"1.0\"} 3",
        "podkit_test_wait_seconds_bucket{image=\"test\",le=\"+Inf\"} 4",
        "podkit_test_wait_seconds_count{image=\"test\"} 4",
        "podkit_test_wait_seconds_sum{image=\"test\"} 7.65"), lines);
  }

  @Test
  void boundsMustAscend() {
    assertThrows(IllegalArgumentException.class, () -> new BucketHistogram("x", "x", "x", 1, 1));
  }
}
