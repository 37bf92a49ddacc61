package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.filetail.LongLines;
import dev.podkit.filetail.Position;
import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailOptions;
import dev.podkit.logshipper.sink.StdoutSink;
import dev.podkit.runtime.Ticker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailing thread's two ways, on real files read in small pieces into small batches: lines
 * written straight into batch bodies by the sink's encoder, and lines made into events the sink
 * writes. Same output, same lines and bytes acknowledged, same checkpoints at the end.
 */
class TailerEncodingIT {
  private static final String[] PIECES = {" ", "\"", "\\", "\r", "\r\n", "\n", "\n", "\n", "\t", "\u0001", "é", "日本",
      "GET /index.html HTTP/1.1 200", "\u00ff"};

  @TempDir Path dir;

  /** What one run gave: the output, the lines and bytes acknowledged, the checkpoints. */
  private record Run(String out, long lines, long bytes, Map<String, Position> checkpoints) {}

  @Test
  void tailer_encodedOrEvents_sameOutputCountsAndCheckpoints() throws Exception {
    Random random = new Random(3);
    for (int f = 0; f < 3; f++) {
      Files.write(dir.resolve("app-" + f + ".log"), input(random));
    }
    for (StdoutSink.Mode mode : StdoutSink.Mode.values()) {
      Run events = run(mode, false, dir + "/*.log");
      Run encoded = run(mode, true, dir + "/*.log");
      assertTrue(events.lines() > 1000, "lines: " + events.lines());
      if (mode == StdoutSink.Mode.RAW) {
        // Raw lines print no newline the file lacks (a cut piece, a flushed partial line), where
        // an event always ends with one: the same bytes otherwise.
        assertEquals(events.out().replace("\n", ""), encoded.out().replace("\n", ""), mode.name());
        assertTrue(encoded.out().length() < events.out().length(), "pieces printed without a newline");
      } else {
        assertEquals(events.out(), encoded.out(), mode.name());
      }
      assertEquals(events.lines(), encoded.lines(), mode.name());
      assertEquals(events.bytes(), encoded.bytes(), mode.name());
      assertEquals(events.checkpoints(), encoded.checkpoints(), mode.name());
      assertEquals(3, encoded.checkpoints().size());
    }
  }

  /**
   * One file, raw, to stdout, read in pieces smaller than its long lines (split at the maximum):
   * its bytes exactly, as tail prints them.
   */
  @Test
  void tailer_rawToStdout_printsAFileExactlyAsItIs_itsSplitLongLinesWhole() throws Exception {
    Path one = Files.createDirectory(dir.resolve("one"));
    byte[] input = input(new Random(5));
    Files.write(one.resolve("app.log"), input);
    Run encoded = run(StdoutSink.Mode.RAW, true, one + "/*.log");
    // Up to the last line, which has no newline: stopping ships no torn line, its checkpoint is
    // before it (the next run reads it once whole, or flushes it after --partial-line-flush).
    int lastNewline = new String(input, StandardCharsets.ISO_8859_1).lastIndexOf('\n');
    assertEquals(lastNewline + 1, encoded.checkpoints().values().iterator().next().offset());
    assertEquals(new String(input, 0, lastNewline + 1, StandardCharsets.ISO_8859_1), encoded.out());
  }

  private static byte[] input(Random random) {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < 20_000; k++) {
      int r = random.nextInt(4);
      text.append(r == 0 ? "a".repeat(random.nextInt(random.nextInt(50) == 0 ? 3000 : 150))
          : PIECES[random.nextInt(PIECES.length)]);
    }
    byte[] input = text.append("partial, no newline yet").toString().getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < 20; k++) {
      input[random.nextInt(input.length)] = (byte) (0x80 + random.nextInt(0x80));
    }
    return input;
  }

  /** Ships every file in dir to the end once, as the shipper does when stopped, and records it. */
  private Run run(StdoutSink.Mode mode, boolean encode, String glob) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicLong lines = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    Sink sink = new StdoutSink(out, mode, new Metadata("web-1", "prod", "node-a", null), Ticker.system(),
        new SinkEvents() {
          @Override
          public void delivered(int n, long b, long nanos) {
            lines.addAndGet(n);
            bytes.addAndGet(b);
          }
        });
    BatchQueue queue = new BatchQueue(1 << 20);
    ShipperMetrics metrics = new ShipperMetrics(queue::bytes, () -> 0);
    Discovery discovery = new Discovery(List.of(glob), List.of(), DiscoveryEvents.NONE);
    // As the shipper sets it up: raw stdout keeps a CR before the newline, as tail does.
    TailOptions options = TailOptions.defaults().withMaxLineBytes(700, LongLines.SPLIT).withMaxReadBytesPerPoll(5000)
        .withStripCr(mode == StdoutSink.Mode.JSON);
    Tailer tailer = new Tailer(discovery::scan, p -> Optional.empty(), Start.beginning(), options,
        new BatchPolicy(97, 20_000, Duration.ofSeconds(10)), queue, Duration.ofSeconds(10), Duration.ofMillis(5),
        Ticker.system(), TailEvents.NONE, metrics);
    if (encode) {
      tailer.encode(sink.encoder());
    }
    Map<String, Position> checkpoints = new TreeMap<>();
    Delivery delivery = new Delivery(queue, sink, checkpoints::put, () -> {}, metrics);
    delivery.alongside(tailer);
    // The time is when a line was read: it differs between runs, and only there.
    String text = out.toString(StandardCharsets.ISO_8859_1).replaceAll("\"time\":\"[^\"]*\"", "\"time\":\"T\"");
    return new Run(text, lines.get(), bytes.get(), checkpoints);
  }
}
