package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each schema's exact output for a hand-built access-log record and a plain line. */
class SchemaTest {
  private static final byte[] LINE = "GET /a?b=\"c\" HTTP/1.1".getBytes(StandardCharsets.UTF_8);
  private static final long T = Instant.parse("2024-01-01T00:00:00.123Z").getEpochSecond();

  private static LogRecord accessLog() {
    LogRecord r = new LogRecord();
    r.reset(LINE, 0, LINE.length);
    r.time(T, 123_000_000);
    r.message(0, LINE.length);
    r.text(Fields.REMOTE_ADDR, "10.1.2.3");
    r.text(Fields.METHOD, 0, 3);
    r.text(Fields.PATH, 4, 12);
    r.text(Fields.PROTOCOL, 13, LINE.length);
    r.number(Fields.STATUS, 503);
    r.number(Fields.BYTES, 17);
    r.decimal(Fields.DURATION, 0.25);
    r.text("upstream", "pool-a");
    return r;
  }

  private static String write(Schema s, LogRecord r, Severity sev) {
    JsonOut out = new JsonOut();
    s.write(r, sev, out);
    return new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8);
  }

  private static final Schema.Extras EXTRAS = new Schema.Extras(List.<String[]>of(new String[] {"pod", "web-1"}),
      List.<String[]>of(new String[] {"team", "pay"}));

  @Test
  void plain_accessLog_fieldsAsParsedThenTimeSeverityExtras() {
    assertEquals("{\"msg\":\"GET /a?b=\\\"c\\\" HTTP/1.1\",\"remote_addr\":\"10.1.2.3\",\"method\":\"GET\","
        + "\"path\":\"/a?b=\\\"c\\\"\",\"protocol\":\"HTTP/1.1\",\"status\":503,\"bytes\":17,\"duration\":0.25,"
        + "\"upstream\":\"pool-a\",\"time\":\"2024-01-01T00:00:00.123Z\",\"severity\":\"ERROR\",\"pod\":\"web-1\","
        + "\"labels\":{\"team\":\"pay\"}}\n", write(new PlainSchema("msg", EXTRAS), accessLog(), Severity.ERROR));
  }

  @Test
  void plain_rawLine_isExactlyTheAwkShape() {
    byte[] raw = "raw_log_line".getBytes(StandardCharsets.UTF_8);
    LogRecord r = new LogRecord();
    r.reset(raw, 0, raw.length);
    assertEquals("{\"msg\":\"raw_log_line\"}\n", write(new PlainSchema("msg", Schema.Extras.NONE), r, null));
    r.parseError();
    assertEquals("{\"message\":\"raw_log_line\",\"parse_error\":true}\n",
        write(new PlainSchema("message", Schema.Extras.NONE), r, null));
  }

  @Test
  void gcp_accessLog_httpRequestObjectAndLabels() {
    assertEquals("{\"severity\":\"ERROR\",\"message\":\"GET /a?b=\\\"c\\\" HTTP/1.1\",\"time\":\"2024-01-01T00:00:00.123Z\","
        + "\"upstream\":\"pool-a\",\"httpRequest\":{\"remoteIp\":\"10.1.2.3\",\"requestMethod\":\"GET\","
        + "\"requestUrl\":\"/a?b=\\\"c\\\"\",\"protocol\":\"HTTP/1.1\",\"status\":503,\"responseSize\":\"17\","
        + "\"latency\":\"0.25s\"},\"pod\":\"web-1\",\"logging.googleapis.com/labels\":{\"team\":\"pay\"}}\n",
        write(new CloudLoggingSchema(EXTRAS), accessLog(), Severity.ERROR));
  }

  @Test
  void gcp_traceFields_areQualifiedWithTheProject() {
    byte[] raw = "x".getBytes(StandardCharsets.UTF_8);
    LogRecord r = new LogRecord();
    r.reset(raw, 0, 1);
    r.text("trace_id", "0af7651916cd43dd8448eb211c80319c");
    r.text("span_id", "b7ad6b7169203331");
    assertEquals("{\"severity\":\"DEFAULT\",\"message\":\"x\",\"logging.googleapis.com/trace\":"
        + "\"projects/p1/traces/0af7651916cd43dd8448eb211c80319c\",\"logging.googleapis.com/spanId\":\"b7ad6b7169203331\"}\n",
        write(new CloudLoggingSchema(Schema.Extras.NONE, "p1"), r, null));
  }

  @Test
  void ecs_accessLog_dottedNamesAndNanosecondDuration() {
    assertEquals("{\"@timestamp\":\"2024-01-01T00:00:00.123Z\",\"log.level\":\"error\",\"message\":\"GET /a?b=\\\"c\\\" HTTP/1.1\","
        + "\"ecs.version\":\"8.11.0\",\"source.address\":\"10.1.2.3\",\"http.request.method\":\"GET\","
        + "\"url.original\":\"/a?b=\\\"c\\\"\",\"http.version\":\"1.1\",\"http.response.status_code\":503,"
        + "\"http.response.body.bytes\":17,\"event.duration\":250000000,\"upstream\":\"pool-a\",\"pod\":\"web-1\","
        + "\"labels\":{\"team\":\"pay\"}}\n", write(new EcsSchema(EXTRAS), accessLog(), Severity.ERROR));
  }

  @Test
  void ecs_noTimeInTheLine_usesTheReadingTime() {
    byte[] raw = "x".getBytes(StandardCharsets.UTF_8);
    LogRecord r = new LogRecord();
    r.reset(raw, 0, 1);
    EcsSchema ecs = new EcsSchema(Schema.Extras.NONE, () -> Instant.parse("2030-05-06T07:08:09Z"));
    assertEquals("{\"@timestamp\":\"2030-05-06T07:08:09Z\",\"message\":\"x\",\"ecs.version\":\"8.11.0\"}\n",
        write(ecs, r, null));
  }

  @Test
  void plain_fieldsChangingPlaceFromLineToLine_keepTheirOwnKeys() {
    // Keys are remembered by place: a line whose fields come in another order, or under an equal
    // name that is another String, or past the remembered places, must still get its own keys.
    Schema s = new PlainSchema("msg", Schema.Extras.NONE);
    byte[] raw = "m".getBytes(StandardCharsets.UTF_8);
    LogRecord r = new LogRecord();
    r.reset(raw, 0, raw.length);
    r.number("a", 1);
    r.number("b", 2);
    assertEquals("{\"msg\":\"m\",\"a\":1,\"b\":2}\n", write(s, r, null));
    r.reset(raw, 0, raw.length);
    r.number("b", 3);
    r.number(new String("a"), 4);
    r.number("c\"", 5);
    assertEquals("{\"msg\":\"m\",\"b\":3,\"a\":4,\"c\\\"\":5}\n", write(s, r, null));
    r.reset(raw, 0, raw.length);
    StringBuilder expected = new StringBuilder("{\"msg\":\"m\"");
    for (int k = 0; k < 40; k++) {
      r.number("f" + (39 - k), k);
      expected.append(",\"f").append(39 - k).append("\":").append(k);
    }
    assertEquals(expected + "}\n", write(s, r, null));
  }

  @Test
  void allSchemas_addedFieldsAndLabels_sameOnEveryLine() {
    for (Schema.Name name : Schema.Name.values()) {
      Schema s = Schema.of(name, "msg", EXTRAS, null);
      String first = write(s, accessLog(), Severity.WARNING);
      assertEquals(first, write(s, accessLog(), Severity.WARNING), name.toString());
      assertEquals(true, first.contains("\"web-1\""), first);
      assertEquals(true, first.contains("{\"team\":\"pay\"}"), first);
    }
  }
}
