package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.podkit.logshipper.Batch;
import dev.podkit.logshipper.Event;
import dev.podkit.logshipper.Metadata;
import dev.podkit.testfixtures.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {
  private final RecordingSinkEvents events = new RecordingSinkEvents();

  @Test
  void stdout_raw_writesBytesExactlyAsRead() throws Exception {
    byte[] invalid = {'b', 'a', 'd', (byte) 0xFF, (byte) 0xC3, '(', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    byte[] controls = "tab\there\rcr \u001b[31mred\u001b[0m \"q\" \\".getBytes(StandardCharsets.UTF_8);
    byte[] utf8 = "héllo wörld ✓ 🎉".getBytes(StandardCharsets.UTF_8);
    List<Event> list = List.of(raw(invalid), raw(controls), raw(new byte[0]), raw(utf8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    sink(out, StdoutSink.Mode.RAW).deliver(Batch.of(list));

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (Event e : list) {
      expected.write(e.message());
      expected.write('\n');
    }
    assertArrayEquals(expected.toByteArray(), out.toByteArray());
    assertEquals(List.of("delivered 4"), events.events());
    assertEquals(0, events.invalidUtf8(), "raw lines are passed on as they are, nothing replaced");
  }

  @Test
  void stdout_jsonWithInvalidUtf8_countsEachReplacedSequenceOnceOnBothPaths() throws Exception {
    // 0xFF, a lone continuation byte and a truncated two-byte sequence: three replacements.
    byte[] bad = {'a', (byte) 0xFF, 'b', (byte) 0x80, 'c', (byte) 0xC3};
    StdoutSink sink = new StdoutSink(new ByteArrayOutputStream(), StdoutSink.Mode.JSON, Metadata.NONE, new FakeTicker(),
        events);

    sink.deliver(Batch.of(List.of(raw(bad), raw("fine".getBytes(StandardCharsets.UTF_8)))));
    assertEquals(3, events.invalidUtf8());

    // The encoded path: the lines written into a batch body by the sink's own encoder.
    dev.podkit.runtime.JsonOut body = new dev.podkit.runtime.JsonOut();
    byte[] two = {(byte) 0xFF, '\n', 'o', 'k', (byte) 0xC3, '\n'};
    sink.encoder().lines(two, 0, two.length, 1024, "/a.log", Events.T0, body);
    sink.deliver(Batch.encoded(new Batch.Body(body, 2, 5)));
    assertEquals(5, events.invalidUtf8(), "one more per line: 0xFF, and a lead byte the line ends after");

    sink.deliver(Batch.encoded(new Batch.Body(body, 2, 5)));
    assertEquals(5, events.invalidUtf8(), "a body delivered again is not counted again");
  }

  @Test
  void stdout_rawHugeLine_writtenWholeBetweenOthers() throws Exception {
    byte[] huge = new byte[300_000];
    Arrays.fill(huge, (byte) 'x');
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    sink(out, StdoutSink.Mode.RAW).deliver(Batch.of(List.of(raw("a".getBytes()), raw(huge), raw("b".getBytes()))));

    byte[] got = out.toByteArray();
    assertEquals(2 + huge.length + 1 + 2, got.length);
    assertEquals("a\n", new String(got, 0, 2, StandardCharsets.US_ASCII));
    assertEquals('\n', got[2 + huge.length]);
    assertEquals("b\n", new String(got, got.length - 2, 2, StandardCharsets.US_ASCII));
  }

  @Test
  void stdout_manyLines_writesInFewChunksAndFlushesOncePerBatch() throws Exception {
    CountingStream out = new CountingStream();
    List<Event> list = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      list.add(raw(("line " + i).getBytes(StandardCharsets.US_ASCII)));
    }
    StdoutSink sink = sink(out, StdoutSink.Mode.RAW);

    sink.deliver(Batch.of(list));
    sink.deliver(Batch.of(list));

    assertEquals(2, out.flushes);
    assertTrue(out.writes <= 8, "writes: " + out.writes);
  }

  @Test
  void stdout_json_writesOneValidObjectPerLineWithMetadata() throws Exception {
    Metadata meta = new Metadata("web-1", "shop", null, "web");
    Event plain = Events.event("hello \"world\"\n", Events.T0, "/var/log/pods/a/0.log", "stdout");
    Event cut = new Event(new byte[] {'x', (byte) 0xFF}, 1_704_067_200_000_000_000L, "/a.log", null, true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new StdoutSink(out, StdoutSink.Mode.JSON, meta, new FakeTicker(), events).deliver(Batch.of(List.of(plain, cut)));

    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertEquals(3, lines.length);
    assertEquals("", lines[2]);
    Map<String, Object> first = parse(lines[0]);
    assertEquals(List.of("message", "time", "path", "stream", "pod", "namespace", "container"), List.copyOf(first.keySet()));
    assertEquals("hello \"world\"\n", first.get("message"));
    assertEquals("2024-01-01T00:00:00.123456789Z", first.get("time"));
    assertEquals("/var/log/pods/a/0.log", first.get("path"));
    assertEquals("stdout", first.get("stream"));
    assertEquals("web-1", first.get("pod"));
    assertEquals("shop", first.get("namespace"));
    assertEquals("web", first.get("container"));
    Map<String, Object> second = parse(lines[1]);
    assertEquals("x\uFFFD", second.get("message"));
    assertEquals("2024-01-01T00:00:00Z", second.get("time"));
    assertEquals(Boolean.TRUE, second.get("truncated"));
    assertFalse(second.containsKey("stream"));
    assertEquals("/a.log", second.get("path"), "each event's own path, though the first one's is kept encoded");
  }

  @Test
  void stdout_writeFails_throwsAndTurnsUnhealthy() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    StdoutSink sink = sink(broken, StdoutSink.Mode.RAW);

    assertThrows(UncheckedIOException.class, () -> sink.deliver(Events.batch("a")));

    assertFalse(sink.healthy());
    assertEquals(List.of(), events.events());
  }

  private StdoutSink sink(OutputStream out, StdoutSink.Mode mode) {
    return new StdoutSink(out, mode, Metadata.NONE, new FakeTicker(), events);
  }

  private static Event raw(byte[] message) {
    return new Event(message, Events.T0, "/var/log/app/access.log", null, false);
  }

  /** A flat JSON object's fields, strings and booleans; fails on anything that is not valid JSON. */
  static Map<String, Object> parse(String json) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        JsonToken v = p.nextToken();
        m.put(k, v == JsonToken.VALUE_TRUE ? Boolean.TRUE : v == JsonToken.START_ARRAY ? array(p) : p.getText());
      }
      assertEquals(null, p.nextToken(), "text after the object");
    }
    return m;
  }

  private static List<String> array(JsonParser p) throws IOException {
    List<String> a = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      a.add(p.getText());
    }
    return a;
  }

  private static final class CountingStream extends OutputStream {
    int writes;
    int flushes;

    @Override
    public void write(int b) {
      writes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes++;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }
}
