package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.ElasticsearchFixture;
import dev.podkit.testfixtures.FakeTicker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkIT {
  private final ElasticsearchFixture es = new ElasticsearchFixture();
  private final RecordingSinkEvents events = new RecordingSinkEvents();
  private final FakeTicker ticker = new FakeTicker();

  @AfterEach
  void stop() {
    es.close();
  }

  @Test
  void es_batch_storesEcsDocumentsUnderDeterministicIds() throws Exception {
    Event cut = new Event("long...".getBytes(), Events.T0, "/var/log/pods/shop_web-1_x/app/0.log", "stderr", true);
    ElasticsearchSink sink = new ElasticsearchSink(HttpEndpoint.of(URI.create(es.url())), "logs-app-default",
        new Metadata("web-1", "shop", "node-a", "app"), RetryPolicy.forever(), ticker, events);

    sink.deliver(Batch.of(List.of(cut)));

    Map<String, String> stored = es.sources();
    assertEquals(1, stored.size());
    assertEquals(new DocumentIds().ids(List.of(cut))[0], stored.keySet().iterator().next());
    Map<String, Object> doc = StdoutSinkTest.parse(stored.values().iterator().next());
    assertEquals("2024-01-01T00:00:00.123456789Z", doc.get("@timestamp"));
    assertEquals("long...", doc.get("message"));
    assertEquals("/var/log/pods/shop_web-1_x/app/0.log", doc.get("log.file.path"));
    assertEquals("stderr", doc.get("stream"));
    assertEquals("web-1", doc.get("kubernetes.pod.name"));
    assertEquals("shop", doc.get("kubernetes.namespace"));
    assertEquals("node-a", doc.get("kubernetes.node.name"));
    assertEquals("app", doc.get("kubernetes.container.name"));
    assertEquals(List.of("truncated"), doc.get("log.flags"));
    assertEquals(List.of("delivered 1"), events.events());
    assertEquals(List.of(), es.rejections());
  }

  @Test
  void es_partialFailure_retriesOnlyTheFailedItems() throws Exception {
    es.failItems("FAIL429", 429, 1);

    sink(ticker).deliver(Events.batch("a", "FAIL429 b", "c", "FAIL429 d", "e"));

    assertEquals(List.of(201, 429, 201, 429, 201, 201, 201), es.itemStatuses());
    assertEquals(2, es.requests());
    assertEquals(List.of("delivered 3", "retried item status 429", "delivered 2"), events.events());
    assertEquals(List.of(Duration.ofMillis(250)), ticker.sleeps());
    assertEquals(List.of("FAIL429 b", "FAIL429 d", "a", "c", "e"), sortedMessages());
  }

  @Test
  void es_answerLostAfterStoring_retryAnswers409AndCountsAsDelivered() throws Exception {
    es.loseNextAnswers(1, 504);

    sink(ticker).deliver(Events.batch("a", "b", "c"));

    assertEquals(List.of(201, 201, 201, 409, 409, 409), es.itemStatuses());
    assertEquals(List.of("retried status 504", "delivered 3"), events.events());
    assertEquals(3, es.sources().size());
  }

  @Test
  void es_mappingError_byDefault_retriedAloneUntilTheIndexTakesIt() throws Exception {
    es.failItems("MAPPING", 400, 2); // refused twice (a mapping being fixed), then taken

    sink(ticker).deliver(Events.batch("a", "MAPPING b", "d"));

    assertEquals(List.of("delivered 2", "retried refused: item status 400 mapper_parsing_exception",
        "retried refused: item status 400 mapper_parsing_exception", "delivered 1"), events.events());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), ticker.sleeps());
    assertEquals(List.of("MAPPING b", "a", "d"), sortedMessages());
  }

  @Test
  void es_mappingError_withOnRefusedDrop_rejectedAndCountedNotRetried() throws Exception {
    es.failItems("MAPPING", 400, Integer.MAX_VALUE);

    new ElasticsearchSink(HttpEndpoint.of(URI.create(es.url())), "logs", Metadata.NONE,
        RetryPolicy.forever().withDropRefused(true), ticker, events)
        .deliver(Events.batch("a", "MAPPING b", "MAPPING c", "d"));

    assertEquals(List.of("delivered 2", "rejected 2 item status 400 mapper_parsing_exception"), events.events());
    assertEquals(1, es.requests());
    assertEquals(List.of(), ticker.sleeps());
    assertEquals(List.of("a", "d"), sortedMessages());
  }

  @Test
  void es_requestLevel503_wholeBatchRetried() throws Exception {
    es.failNext(2, 503);

    sink(ticker).deliver(Events.batch("a", "b"));

    assertEquals(List.of("retried status 503", "retried status 503", "delivered 2"), events.events());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), ticker.sleeps());
    assertEquals(List.of("a", "b"), sortedMessages());
  }

  @Test
  void es_sameLineTwiceInABatch_bothStored() throws Exception {
    Event e = Events.event("same", Events.T0, "/a.log", null);

    sink(ticker).deliver(Batch.of(List.of(e, e)));

    assertEquals(List.of("same", "same"), sortedMessages());
    assertEquals(List.of("delivered 2"), events.events());
  }

  @Test
  void es_mixedFailuresAndLostAnswers_nothingLostNothingTwice() throws Exception {
    es.failItems("FAIL429", 429, 2);
    es.failItems("FAIL503", 503, 1);
    es.failItems("MAPPING", 400, Integer.MAX_VALUE);
    List<String> sent = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String m = "line " + i + (i % 7 == 0 ? " FAIL429" : i % 11 == 0 ? " FAIL503" : i % 13 == 0 ? " MAPPING" : "");
      sent.add(m);
      if (!m.contains("MAPPING")) {
        expected.add(m);
      }
    }
    es.loseNextAnswers(1, 502);
    ElasticsearchSink sink = new ElasticsearchSink(HttpEndpoint.of(URI.create(es.url())).withGzip(true), "logs",
        Metadata.NONE, RetryPolicy.forever().withDropRefused(true), ticker, events);

    sink.deliver(Events.batch(sent.subList(0, 150).toArray(String[]::new)));
    sink.deliver(Events.batch(sent.subList(150, 300).toArray(String[]::new)));

    Collections.sort(expected);
    assertEquals(expected, sortedMessages());
    int delivered = 0;
    int rejected = 0;
    for (String e : events.events()) {
      if (e.startsWith("delivered ")) delivered += Integer.parseInt(e.substring(10));
      if (e.startsWith("rejected ")) {
        rejected += Integer.parseInt(e.split(" ")[1]);
        assertTrue(e.endsWith("item status 400 mapper_parsing_exception"), e);
      }
    }
    assertEquals(expected.size(), delivered);
    assertEquals(300 - expected.size(), rejected);
    assertTrue(sink.healthy());
    assertEquals(List.of(), es.rejections());
  }

  @Test
  void esFixture_malformedBulk_answers400AndBadDocumentsFailAlone() throws Exception {
    assertEquals(400, post("{\"create\":{\"_index\":\"logs\"}}\n{\"message\":\"no final newline\"}"));
    assertEquals(400, post("{\"update\":{\"_index\":\"logs\",\"_id\":\"1\"}}\n{\"doc\":{}}\n"));
    assertEquals(400, post("{\"create\":{\"_id\":\"1\"}}\n{\"message\":\"no index\"}\n"));
    assertEquals(400, post("{\"create\":{\"_index\":\"logs\"}}\n"));
    assertEquals(200, post("{\"create\":{\"_index\":\"logs\",\"_id\":\"1\"}}\n{\"log\":{\"level\":\"info\"}}\n"
        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"2\"}}\n{\"log\":\"a value where an object was\"}\n"
        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"3\"}}\n{\"@timestamp\":\"yesterday\"}\n"
        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"4\"}}\nnot json\n"
        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"1\"}}\n{\"log.level\":\"warn\"}\n"));
    assertEquals(List.of(201, 400, 400, 400, 409), es.itemStatuses());
    assertEquals(4, es.rejections().size());
  }

  private int post(String body) throws java.io.IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(es.url() + "/_bulk").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/x-ndjson");
    try (java.io.OutputStream o = c.getOutputStream()) {
      o.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    c.disconnect();
    return status;
  }

  private ElasticsearchSink sink(Ticker t) {
    return new ElasticsearchSink(HttpEndpoint.of(URI.create(es.url())), "logs", Metadata.NONE, RetryPolicy.forever(), t,
        events);
  }

  private List<String> sortedMessages() throws Exception {
    List<String> out = new ArrayList<>();
    for (String source : es.sources().values()) {
      out.add((String) StdoutSinkTest.parse(source).get("message"));
    }
    Collections.sort(out);
    return out;
  }
}
