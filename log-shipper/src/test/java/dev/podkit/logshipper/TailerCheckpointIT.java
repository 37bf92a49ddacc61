package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint each acknowledged batch leaves is the end of that batch's last line, also when
 * one read of the file fills several batches: a kill right after an acknowledgement then repeats
 * no line on restart, only the batch in flight (the at-most-one-batch promise). Both ways of the
 * tailing thread: lines encoded straight into batch bodies, and lines made into events.
 */
class TailerCheckpointIT {
  private static final int LINES = 1_000;
  private static final int BATCH = 97;
  @TempDir Path dir;

  @Test
  void encoded_everyBatchCheckpoint_isTheEndOfItsLastLine() throws Exception {
    checkpointsFollowTheLines(true);
  }

  @Test
  void events_everyBatchCheckpoint_isTheEndOfItsLastLine() throws Exception {
    checkpointsFollowTheLines(false);
  }

  /**
   * Multiline: the joiner holds an event until the next one begins. A batch's checkpoint must
   * stop before the held event's first line, or a kill after the acknowledgement loses it.
   */
  @Test
  void multiline_everyBatchCheckpoint_stopsBeforeTheEventHeld() throws Exception {
    checkpointsFollowTheLines(false, 3);
  }

  private void checkpointsFollowTheLines(boolean encode) throws Exception {
    checkpointsFollowTheLines(encode, 1);
  }

  /** Events of {@code perEvent} lines (a line, then indented ones joined to it when more than one). */
  private void checkpointsFollowTheLines(boolean encode, int perEvent) throws Exception {
    Path file = dir.resolve("app.log");
    StringBuilder text = new StringBuilder();
    long[] ends = new long[LINES];
    for (int i = 0; i < LINES; i++) {
      text.append(i % perEvent == 0 ? "line " + i : "\tat more " + i).append(' ').append("y".repeat(i % 23)).append('\n');
      ends[i] = text.length();
    }
    Files.writeString(file, text); // one write: the default read size takes it in one read

    List<Integer> batchLines = new ArrayList<>();
    List<Long> checkpoints = new ArrayList<>();
    Sink sink = new StdoutSink(new ByteArrayOutputStream(), StdoutSink.Mode.RAW, new Metadata("web-1", "prod", "node-a", null),
        Ticker.system(), new SinkEvents() {
          @Override
          public void delivered(int n, long b, long nanos) {
            batchLines.add(n);
          }
        });
    BatchQueue queue = new BatchQueue(1 << 20);
    ShipperMetrics metrics = new ShipperMetrics(queue::bytes, () -> 0);
    Discovery discovery = new Discovery(List.of(file.toString()), List.of(), DiscoveryEvents.NONE);
    Tailer tailer = new Tailer(discovery::scan, p -> Optional.empty(), Start.beginning(), TailOptions.defaults(),
        new BatchPolicy(BATCH, 1 << 20, Duration.ofSeconds(10)), queue, Duration.ofSeconds(10), Duration.ofMillis(5),
        Ticker.system(), TailEvents.NONE, metrics);
    if (encode) {
      tailer.encode(sink.encoder());
    }
    if (perEvent > 1) {
      tailer.decode(() -> null, dev.podkit.filetail.MultilineOptions.javaStackTraces());
    }
    Delivery delivery = new Delivery(queue, sink, (path, position) -> checkpoints.add(position.offset()), () -> {},
        metrics);
    delivery.alongside(tailer);

    int events = (LINES + perEvent - 1) / perEvent;
    assertEquals(events, batchLines.stream().mapToInt(Integer::intValue).sum());
    assertTrue(batchLines.stream().allMatch(n -> n <= BATCH), "a batch over " + BATCH + " events: " + batchLines);
    assertTrue(batchLines.size() > 1, "cut by count into several batches: " + batchLines);
    assertEquals(batchLines.size(), checkpoints.size(), "a checkpoint per batch");
    int shipped = 0;
    for (int k = 0; k < batchLines.size(); k++) {
      shipped += batchLines.get(k);
      int lastLine = Math.min(LINES, shipped * perEvent) - 1;
      assertEquals(ends[lastLine], checkpoints.get(k), "checkpoint of batch " + k + " (" + shipped + " events shipped)");
    }
    assertEquals(text.toString().getBytes(StandardCharsets.UTF_8).length, checkpoints.getLast());
  }

  /**
   * A file rotated away by rename while the shipper was down is read to its end from its
   * checkpoint (under its new name), then let go: an event its multiline joiner still holds then
   * is passed on, not dropped with the joiner.
   */
  @Test
  void multiline_fileRotatedWhileDown_itsLastHeldEventIsShipped() throws Exception {
    Path file = dir.resolve("app.log");
    Files.writeString(file, "first 1\n\tat a\nfirst 2\n\tat b\n");
    Position saved = shipOnce(file, Optional.empty()).checkpoint();
    Files.writeString(file, "first 3\n\tat c\n", java.nio.file.StandardOpenOption.APPEND);
    Files.move(file, dir.resolve("app.log.1"));
    Files.writeString(file, "second 1\n\tat d\n");
    Shipped again = shipOnce(file, Optional.of(saved));
    assertEquals(List.of("first 3\n\tat c", "second 1\n\tat d"), again.messages());
  }

  private record Shipped(List<String> messages, Position checkpoint) {}

  /** Ships {@code file} (multiline, events) from {@code saved} or its start, to its end; returns the events and the last checkpoint. */
  private Shipped shipOnce(Path file, Optional<Position> saved) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Position> checkpoints = new ArrayList<>();
    Sink sink = new StdoutSink(out, StdoutSink.Mode.JSON, new Metadata("web-1", "prod", "node-a", null), Ticker.system(),
        new SinkEvents() {});
    BatchQueue queue = new BatchQueue(1 << 20);
    ShipperMetrics metrics = new ShipperMetrics(queue::bytes, () -> 0);
    Discovery discovery = new Discovery(List.of(file.toString()), List.of(), DiscoveryEvents.NONE);
    Tailer tailer = new Tailer(discovery::scan, p -> p.equals(file.toString()) ? saved : Optional.empty(), Start.beginning(),
        TailOptions.defaults(), new BatchPolicy(BATCH, 1 << 20, Duration.ofSeconds(10)), queue, Duration.ofSeconds(10),
        Duration.ofMillis(5), Ticker.system(), TailEvents.NONE, metrics);
    tailer.decode(() -> null, dev.podkit.filetail.MultilineOptions.javaStackTraces());
    Delivery delivery = new Delivery(queue, sink, (path, position) -> {
      if (path.equals(file.toString())) checkpoints.add(position);
    }, () -> {}, metrics);
    delivery.alongside(tailer);
    List<String> messages = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(out.toString(StandardCharsets.UTF_8));
    while (m.find()) {
      messages.add(m.group(1).replace("\\n", "\n").replace("\\t", "\t"));
    }
    return new Shipped(messages, checkpoints.isEmpty() ? null : checkpoints.getLast());
  }
}
