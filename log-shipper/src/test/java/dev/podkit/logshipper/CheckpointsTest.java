package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import dev.podkit.testfixtures.FakeTicker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Checkpoints} in memory: lookups, and forgetting paths gone for a while. */
class CheckpointsTest {
  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingCheckpointEvents events = new RecordingCheckpointEvents();

  static Position at(long offset) {
    return new Position(new FileKey(1, 2), offset, 0, 0, 0, 0);
  }

  private Checkpoints empty() {
    return Checkpoints.load(dir.resolve("checkpoints.json"), ticker, events);
  }

  @Test
  void load_missingFile_emptyNothingReported() {
    Checkpoints c = empty();
    assertEquals(0, c.size());
    assertEquals(Optional.empty(), c.get("/a"));
    assertEquals(List.of(), events.events());
  }

  @Test
  void load_missingFolder_empty() {
    Checkpoints c = Checkpoints.load(dir.resolve("not/yet/checkpoints.json"), ticker, events);
    assertEquals(0, c.size());
    assertEquals(List.of(), events.events());
  }

  @Test
  void get_afterPutAndRemove_followsThem() {
    Checkpoints c = empty();
    c.put("/a", at(1));
    c.put("/a", at(2));
    c.put("/b", at(3));
    assertEquals(Optional.of(at(2)), c.get("/a"));
    c.remove("/a");
    assertEquals(Optional.empty(), c.get("/a"));
    assertEquals(1, c.size());
  }

  @Test
  void put_null_rejected() {
    Checkpoints c = empty();
    assertThrows(IllegalArgumentException.class, () -> c.put(null, at(1)));
    assertThrows(IllegalArgumentException.class, () -> c.put("/a", null));
  }

  @Test
  void forgetUnseen_pathsNotSeenPastIdle_forgottenOthersKept() {
    Checkpoints c = empty();
    c.put("/gone", at(1));
    c.put("/present", at(1));
    c.put("/written", at(1));
    ticker.advance(Duration.ofMinutes(30));
    c.seen(List.of("/present", "/never-put"));
    c.put("/written", at(2));
    assertEquals(List.of(), c.forgetUnseen(Duration.ofMinutes(30)));
    ticker.advance(Duration.ofMinutes(1));
    assertEquals(List.of("/gone"), c.forgetUnseen(Duration.ofMinutes(30)));
    assertEquals(Optional.empty(), c.get("/gone"));
    assertEquals(Optional.of(at(1)), c.get("/present"));
    assertEquals(Optional.empty(), c.get("/never-put"));
    assertEquals(2, c.size());
  }
}
