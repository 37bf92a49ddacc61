package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.runtime.JsonOut;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LokiPushTest {
  @Test
  void push_interleavedFilesAndStreams_oneStreamPerLabelSetInReadOrder() throws Exception {
    Batch b = Batch.of(List.of(
        Events.event("a1", 10, "/a.log", "stdout"),
        Events.event("b1", 11, "/b.log", null),
        Events.event("a2", 12, "/a.log", "stderr"),
        Events.event("a3", 13, "/a.log", "stdout"),
        Events.event("b2", 14, "/b.log", null)));

    String json = write(new LokiPush(Map.of("job", "web"), new Metadata("web-1", "shop", "node-a", "app")), b);

    assertEquals("{\"streams\":["
        + "{\"stream\":{\"container\":\"app\",\"filename\":\"/a.log\",\"job\":\"web\",\"namespace\":\"shop\",\"node\":\"node-a\",\"pod\":\"web-1\",\"stream\":\"stdout\"},"
        + "\"values\":[[\"10\",\"a1\"],[\"13\",\"a3\"]]},"
        + "{\"stream\":{\"container\":\"app\",\"filename\":\"/b.log\",\"job\":\"web\",\"namespace\":\"shop\",\"node\":\"node-a\",\"pod\":\"web-1\"},"
        + "\"values\":[[\"11\",\"b1\"],[\"14\",\"b2\"]]},"
        + "{\"stream\":{\"container\":\"app\",\"filename\":\"/a.log\",\"job\":\"web\",\"namespace\":\"shop\",\"node\":\"node-a\",\"pod\":\"web-1\",\"stream\":\"stderr\"},"
        + "\"values\":[[\"12\",\"a2\"]]}]}", json);
    assertEquals(3, countStreams(json));
  }

  @Test
  void push_configuredLabel_winsOverDerivedOne() {
    String json = write(new LokiPush(Map.of("pod", "fixed", "filename", "app"), new Metadata("web-1", null, null, null)),
        Batch.of(List.of(Events.event("x", 1, "/a.log", null))));

    assertEquals("{\"streams\":[{\"stream\":{\"filename\":\"app\",\"pod\":\"fixed\"},\"values\":[[\"1\",\"x\"]]}]}", json);
  }

  @Test
  void push_invalidUtf8AndControls_escapedIntoValidJson() throws Exception {
    Event e = new Event(new byte[] {'a', (byte) 0xC3, '\t', '"', 0x01}, 5, "/a.log", null, false);

    String json = write(new LokiPush(Map.of(), Metadata.NONE), Batch.of(List.of(e)));

    assertEquals("{\"streams\":[{\"stream\":{\"filename\":\"/a.log\"},\"values\":[[\"5\",\"a\uFFFD\\t\\\"\\u0001\"]]}]}", json);
    assertEquals(1, countStreams(json));
  }

  @Test
  void push_badLabelName_refusedUpFront() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LokiPush(Map.of("app-name", "x"), Metadata.NONE));
    assertEquals("bad Loki label name: 'app-name'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LokiPush(Map.of("__name__", "x"), Metadata.NONE));
    assertThrows(IllegalArgumentException.class, () -> new LokiPush(Map.of("app", ""), Metadata.NONE));
  }

  private static String write(LokiPush push, Batch b) {
    JsonOut out = new JsonOut();
    push.write(b, out);
    return new String(out.buffer(), 0, out.length(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Parses the whole body (so it must be valid JSON) and counts the objects under "streams". */
  private static int countStreams(String json) throws IOException {
    List<String> streams = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      int depth = 0;
      for (JsonToken t; (t = p.nextToken()) != null; ) {
        if (t == JsonToken.START_OBJECT && depth == 2) streams.add("s");
        if (t.isStructStart()) depth++;
        if (t.isStructEnd()) depth--;
      }
    }
    return streams.size();
  }
}
