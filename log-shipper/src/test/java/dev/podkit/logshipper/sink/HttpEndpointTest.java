package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.podkit.logshipper.Metadata;
import dev.podkit.logshipper.SinkEvents;
import dev.podkit.runtime.Ticker;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
  @Test
  void endpoint_apiPath_addedOnceToTheBasePath() {
    assertEquals("http://loki:3100/loki/api/v1/push", path("http://loki:3100", "/loki/api/v1/push"));
    assertEquals("http://loki:3100/loki/api/v1/push", path("http://loki:3100/", "/loki/api/v1/push"));
    assertEquals("http://gw/tenant-a/loki/api/v1/push", path("http://gw/tenant-a/", "/loki/api/v1/push"));
    assertEquals("http://loki:3100/loki/api/v1/push", path("http://loki:3100/loki/api/v1/push", "/loki/api/v1/push"));
    assertEquals("https://u@es:9200/_bulk?pipeline=p", path("https://u@es:9200?pipeline=p", "/_bulk"));
  }

  @Test
  void endpoint_badValues_refusedWithTheValue() {
    assertEquals("not an http(s) URL: ftp://x/",
        assertThrows(IllegalArgumentException.class, () -> HttpEndpoint.of(URI.create("ftp://x/"))).getMessage());
    HttpEndpoint ok = HttpEndpoint.of(URI.create("http://x/"));
    assertThrows(IllegalArgumentException.class, () -> ok.withHeader("Bad Name", "v"));
    assertThrows(IllegalArgumentException.class, () -> ok.withHeader("X-Token", "a\r\nInjected: 1"));
    assertThrows(IllegalArgumentException.class, () -> ok.withTimeouts(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1)));
  }

  @Test
  void elasticsearch_badIndexName_refusedUpFront() {
    HttpEndpoint es = HttpEndpoint.of(URI.create("http://es:9200"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ElasticsearchSink(es, "Logs", Metadata.NONE, RetryPolicy.forever(), Ticker.system(), SinkEvents.NONE));
    assertEquals("bad Elasticsearch index name: 'Logs'", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new ElasticsearchSink(es, "_x", Metadata.NONE, RetryPolicy.forever(), Ticker.system(), SinkEvents.NONE));
  }

  @Test
  void retryPolicy_negativeAttempts_refused() {
    assertEquals("maxAttempts < 0: -1", assertThrows(IllegalArgumentException.class, () -> RetryPolicy.attempts(-1)).getMessage());
  }

  private static String path(String base, String api) {
    return HttpEndpoint.of(URI.create(base)).withHeaders(Map.of()).withApiPath(api).uri().toString();
  }
}
