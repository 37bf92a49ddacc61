package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.FakeTicker;
import dev.podkit.testfixtures.LokiFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LokiSinkIT {
  private static final Metadata META = new Metadata("web-1", "shop", "node-a", "app");
  private final LokiFixture loki = new LokiFixture();
  private final RecordingSinkEvents events = new RecordingSinkEvents();

  @AfterEach
  void stop() {
    loki.close();
  }

  @Test
  void loki_batch_entriesCarryLabelsTenantAndNanosecondStrings() throws Exception {
    LokiSink sink = new LokiSink(HttpEndpoint.of(URI.create(loki.url())), Map.of("job", "shipper"), "team-a", META,
        RetryPolicy.forever(), new FakeTicker(), events);

    sink.deliver(Batch.of(List.of(Events.event("GET / 200", Events.T0, "/var/log/app/access.log", "stdout"))));

    Map<String, String> labels = Map.of("job", "shipper", "namespace", "shop", "pod", "web-1", "container", "app",
        "node", "node-a", "filename", "/var/log/app/access.log", "stream", "stdout");
    assertEquals(List.of(new LokiFixture.Entry(labels, "1704067200123456789", "GET / 200", Map.of(), "team-a")), loki.entries());
    assertEquals(List.of("delivered 1"), events.events());
    assertEquals(List.of(), loki.rejections());
  }

  @Test
  void loki_severalFiles_groupedIntoOneStreamEachInOnePush() throws Exception {
    LokiSink sink = sink(new FakeTicker(), false);
    Batch b = Batch.of(List.of(Events.event("a1", 1, "/a.log", null), Events.event("b1", 2, "/b.log", null),
        Events.event("a2", 3, "/a.log", null), Events.event("c1", 4, "/c.log", null), Events.event("b2", 5, "/b.log", null)));

    sink.deliver(b);

    assertEquals(1, loki.pushes());
    assertEquals(List.of("a1", "a2", "b1", "b2", "c1"), loki.lines());
    assertEquals(List.of("/a.log", "/a.log", "/b.log", "/b.log", "/c.log"),
        loki.entries().stream().map(e -> e.labels().get("filename")).toList());
    assertEquals(List.of("1", "3", "2", "5", "4"), loki.entries().stream().map(LokiFixture.Entry::timestamp).toList());
  }

  @Test
  void loki_429WithRetryAfter_waitsAsToldThenDeliversOnce() throws Exception {
    loki.failNext(2, 429, "7");
    FakeTicker ticker = new FakeTicker();
    LokiSink sink = sink(ticker, false);

    sink.deliver(Events.batch("x", "y"));

    assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(7)), ticker.sleeps());
    assertEquals(List.of("retried status 429", "retried status 429", "delivered 2"), events.events());
    assertEquals(List.of("x", "y"), loki.lines());
    assertEquals(2, loki.failures());
  }

  @Test
  void loki_503WithoutRetryAfter_backsOffExponentially() throws Exception {
    loki.failNext(3, 503, null);
    FakeTicker ticker = new FakeTicker();

    sink(ticker, false).deliver(Events.batch("x"));

    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)), ticker.sleeps());
    assertEquals(List.of("x"), loki.lines());
  }

  @Test
  void loki_gzip_pushAcceptedWithInvalidUtf8Replaced() throws Exception {
    Event bad = new Event(new byte[] {'o', 'k', (byte) 0xFF, '\n', '"'}, Events.T0, "/a.log", null, false);

    sink(new FakeTicker(), true).deliver(Batch.of(List.of(bad)));

    assertEquals(List.of("ok\uFFFD\n\""), loki.lines());
    assertEquals(List.of(), loki.rejections());
  }

  @Test
  void loki_400_byDefault_retriedUntilTaken() throws Exception {
    loki.failNext(2, 400, null);
    FakeTicker ticker = new FakeTicker();

    sink(ticker, false).deliver(Events.batch("too old", "too old too"));

    assertEquals(List.of("retried refused: status 400", "retried refused: status 400", "delivered 2"), events.events());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), ticker.sleeps());
    assertEquals(2, loki.lines().size());
  }

  @Test
  void loki_400_withDropRefused_rejectsTheBatchWithoutRetrying() throws Exception {
    loki.failNext(1, 400, null);
    FakeTicker ticker = new FakeTicker();

    new LokiSink(HttpEndpoint.of(URI.create(loki.url())), Map.of(), null, Metadata.NONE,
        RetryPolicy.forever().withDropRefused(true), ticker, events).deliver(Events.batch("too old", "too old too"));

    assertEquals(List.of("rejected 2 status 400"), events.events());
    assertEquals(List.of(), ticker.sleeps());
    assertEquals(List.of(), loki.lines());
  }

  @Test
  void lokiFixture_numberTimestamp_answers400WithTheReason() throws Exception {
    String body = "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[1704067200123456789,\"line\"]]}]}";

    int status = post(body, "application/json");

    assertEquals(400, status);
    assertTrue(loki.rejections().get(0).contains("not a number"), loki.rejections().toString());
  }

  @Test
  void lokiFixture_malformedPushes_allAnswered400() throws Exception {
    assertEquals(400, post("{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1\",\"a\"]]}]}", "text/plain"));
    assertEquals(400, post("{\"streams\":[{\"stream\":{},\"values\":[[\"1\",\"a\"]]}]}", "application/json"));
    assertEquals(400, post("{\"streams\":[{\"stream\":{\"a-b\":\"x\"},\"values\":[[\"1\",\"a\"]]}]}", "application/json"));
    assertEquals(400, post("{\"streams\":[{\"stream\":{\"a\":\"x\"},\"values\":[[\"1x\",\"a\"]]}]}", "application/json"));
    assertEquals(400, post("{\"streams\":[{\"stream\":{\"a\":\"x\"},\"values\":[[\"1\",\"a\",{\"k\":1}]]}]}", "application/json"));
    assertEquals(400, post("{\"streams\":[{\"stream\":{\"a\":\"x\"},\"values\":[[\"1\",\"a\"],]}]}", "application/json"));
    assertEquals(204, post("{\"streams\":[{\"stream\":{\"a\":\"x\"},\"values\":[[\"1\",\"a\",{\"k\":\"v\"}]]}]}", "application/json"));
    assertEquals(List.of(Map.of("k", "v")), loki.entries().stream().map(LokiFixture.Entry::metadata).toList());
  }

  private LokiSink sink(Ticker ticker, boolean gzip) {
    return new LokiSink(HttpEndpoint.of(URI.create(loki.url())).withGzip(gzip), Map.of(), null, Metadata.NONE,
        RetryPolicy.forever(), ticker, events);
  }

  private int post(String body, String contentType) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(loki.url() + LokiFixture.PUSH_PATH).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", contentType);
    try (OutputStream o = c.getOutputStream()) {
      o.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    c.disconnect();
    return status;
  }
}
