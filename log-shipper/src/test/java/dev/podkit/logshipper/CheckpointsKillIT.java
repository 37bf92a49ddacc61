package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.filetail.Position;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.FakeTicker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a process saving checkpoints in a loop leaves one whole saved version. */
class CheckpointsKillIT {
  private static final int FILES = 200;

  @TempDir Path dir;

  /** The round the file holds, after a load; fails on a partial file or one mixing rounds. */
  private static long round(Path file) {
    RecordingCheckpointEvents events = new RecordingCheckpointEvents();
    Checkpoints c = Checkpoints.load(file, new FakeTicker(), events);
    assertEquals(List.of("loaded " + FILES), events.events());
    Set<Long> offsets = new HashSet<>();
    for (int i = 0; i < FILES; i++) {
      offsets.add(c.get(CheckpointsSaver.path(i)).map(Position::offset).orElse(-1L));
    }
    assertEquals(1, offsets.size(), "offsets of one round: " + offsets);
    return offsets.iterator().next() / 100;
  }

  @Test
  void sigkill_whileSavingInALoop_fileHoldsOneWholeRound() throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      Path file = dir.resolve("run-" + attempt).resolve("checkpoints.json");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CheckpointsSaver.class.getName(),
          file.toString(), Integer.toString(FILES)).redirectErrorStream(true).start();
      try {
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("saving", out.readLine()); // bounded by the child's life
        // Let it run a varying number of saves, so the kill lands at different points of one.
        long target = 5 + 17L * attempt;
        Await.until(Duration.ofSeconds(30), "round " + target, () -> fileRound(file) >= target);
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -KILL failed");
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "still running after SIGKILL");
        assertEquals(137, p.exitValue());
      } finally {
        p.destroyForcibly();
      }
      long last = round(file);
      assertTrue(last >= 5 + 17L * attempt, "round " + last);
      try (Stream<Path> s = Files.list(file.getParent())) {
        assertEquals(List.of(file), s.toList(), "load deletes a temp file the kill left");
      }
    }
  }

  /**
   * The round of the file while the child rewrites it: read directly, since a load would delete
   * the child's temp file. The rename makes each read whole.
   */
  private static long fileRound(Path file) {
    try {
      return CheckpointFile.decode(Files.readAllBytes(file)).get(CheckpointsSaver.path(0)).offset() / 100;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
