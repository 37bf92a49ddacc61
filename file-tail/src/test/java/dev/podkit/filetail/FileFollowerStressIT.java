package dev.podkit.filetail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.LogWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer rotating by rename over and over while the follower polls from another thread. */
class FileFollowerStressIT {
  private static final int FILES = 40;
  private static final int LINES_PER_FILE = 2_000;
  private static final int LINES_AFTER_RENAME = 20;

  @TempDir Path dir;

  @Test
  void poll_rapidRenameRotation_everyLineOnceInOrder() throws Exception {
    Path app = dir.resolve("app.log");
    RecordingSink sink = new RecordingSink();
    RecordingEvents events = new RecordingEvents();
    List<String> expected = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      for (int i = 0; i < LINES_PER_FILE; i++) expected.add("f" + f + " line " + i);
      for (int i = 0; i < LINES_AFTER_RENAME; i++) expected.add("f" + f + " after rename " + i);
    }
    TailOptions options = TailOptions.defaults().withMaxReadBytesPerPoll(8 * 1024);
    try (LogWriter log = new LogWriter(app);
        FileFollower follower = new FileFollower(app, Start.beginning(), options, new ReadBuffer(16 * 1024),
            Ticker.system(), sink, events)) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (int f = 0; f < FILES; f++) {
          int file = f;
          for (int i = 0; i < LINES_PER_FILE; i++) log.lines("f" + f + " line " + i);
          // Follow by name cannot see a file it never had open: let the follower open this one
          // before it is renamed away (it keeps being written to while the follower reads it).
          Await.until(Duration.ofSeconds(30), "follower opens file " + f, () -> events.count("opened") > file);
          log.renameTo(dir.resolve("app.log." + f));
          for (int i = 0; i < LINES_AFTER_RENAME; i++) log.lines("f" + f + " after rename " + i);
          if (f < FILES - 1) log.reopen();
        }
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (sink.size() < expected.size() && System.nanoTime() < deadline) {
        if (follower.poll() == 0) {
          Thread.onSpinWait();
        }
        assertTrue(!writer.isCompletedExceptionally(), "writer failed");
      }
      writer.get();
    }
    List<String> got = sink.lines();
    assertEquals(expected.size(), got.size(), "lines received");
    assertEquals(expected, got);
    assertEquals(FILES - 1, events.count("rotated"));
    assertEquals(0, events.count("truncated"));
  }
}
