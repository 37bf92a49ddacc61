package dev.podkit.logshipper;

import static dev.podkit.logshipper.CheckpointsTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import dev.podkit.testfixtures.FakeTicker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Checkpoints} on disk: saving, loading, and files that cannot be used. */
class CheckpointsIT {
  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingCheckpointEvents events = new RecordingCheckpointEvents();

  private Path file() {
    return dir.resolve("checkpoints.json");
  }

  private Checkpoints load() throws IOException {
    return Checkpoints.load(file(), ticker, events);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void load_afterSave_samePositions() throws IOException {
    Position p = new Position(new FileKey(2049, 123456789), 5000, 1024, -7, 1024, 99);
    Checkpoints c = load();
    c.put("/var/log/app.log", p);
    c.put("/var/log/containers/x_ns_c-0123.log", at(7));
    assertTrue(c.saveIfChanged());
    Checkpoints again = load();
    assertEquals(Optional.of(p), again.get("/var/log/app.log"));
    assertEquals(Optional.of(at(7)), again.get("/var/log/containers/x_ns_c-0123.log"));
    assertEquals(2, again.size());
    assertEquals(List.of("saved 2", "loaded 2"), events.events());
  }

  @Test
  void saveIfChanged_nothingChanged_writesNothing() throws IOException {
    Checkpoints c = load();
    assertTrue(c.saveIfChanged(), "nothing to save yet");
    assertFalse(Files.exists(file()));
    c.put("/a", at(1));
    assertTrue(c.saveIfChanged());
    c.put("/a", at(1));
    c.remove("/missing");
    c.seen(List.of("/a"));
    assertTrue(c.saveIfChanged(), "same position, nothing removed");
    c.remove("/a");
    assertTrue(c.saveIfChanged());
    assertEquals(List.of("saved 1", "saved 0"), events.events());
    assertEquals(0, load().size());
  }

  @Test
  void saveIfChanged_writeFails_reportedFalseAndTriedAgainNextTime() throws IOException {
    Checkpoints c = load();
    Files.createDirectories(file().resolve("in-the-way")); // rename(2) cannot replace a non-empty folder
    c.put("/a", at(1));
    assertFalse(c.saveIfChanged());
    assertEquals(List.of("writeFailed FileSystemException"), events.events());
    Files.delete(file().resolve("in-the-way"));
    Files.delete(file());
    assertTrue(c.saveIfChanged());
    assertEquals(Optional.of(at(1)), load().get("/a"));
    assertEquals(List.of("checkpoints.json"), names(), "no temp file left");
  }

  @Test
  void save_folderMissing_created() throws IOException {
    Path nested = dir.resolve("state/shipper/checkpoints.json");
    Checkpoints c = Checkpoints.load(nested, ticker, events);
    c.put("/a", at(1));
    assertTrue(c.saveIfChanged());
    assertEquals(Optional.of(at(1)), Checkpoints.load(nested, ticker, events).get("/a"));
  }

  @Test
  void load_corruptFile_emptyReportedKeptAsideNotOverwritten() throws IOException {
    Files.writeString(file(), "{\"version\":1,\"files\":[{\"path\":\"/a\",\"dev\":1");
    Checkpoints c = load();
    assertEquals(0, c.size());
    List<String> seen = events.events();
    assertEquals(1, seen.size(), seen.toString());
    assertTrue(seen.get(0).startsWith("discarded kept: Unexpected end-of-input"), seen.get(0));
    List<String> names = names();
    assertEquals(1, names.size(), names.toString());
    assertTrue(names.get(0).matches("checkpoints\\.json\\.corrupt-\\d{8}T\\d{6}\\.\\d{3}Z"), names.get(0));
    c.put("/b", at(2));
    assertTrue(c.saveIfChanged());
    assertEquals(2, names().size(), "the corrupt file is kept beside the new one");
    assertEquals("{\"version\":1,\"files\":[{\"path\":\"/a\",\"dev\":1", Files.readString(dir.resolve(names.get(0))));
  }

  @Test
  void load_unknownVersion_emptyReportedKeptAside() throws IOException {
    Files.writeString(file(), "{\"version\":2,\"files\":[]}");
    assertEquals(0, load().size());
    assertEquals(List.of("discarded kept: unsupported version: 2 (line 1, column 13)"), events.events());
    assertFalse(Files.exists(file()));
  }

  @Test
  void load_emptyFile_reportedKeptAside() throws IOException {
    Files.writeString(file(), "");
    assertEquals(0, load().size());
    assertEquals(1, events.events().size());
    assertTrue(events.events().get(0).startsWith("discarded kept: "), events.events().toString());
  }

  @Test
  void load_twoCorruptFilesInARow_bothKept() throws IOException {
    Files.writeString(file(), "x");
    load();
    Files.writeString(file(), "y");
    load();
    assertEquals(2, names().size(), names().toString());
  }

  @Test
  void load_tempFilesOfAnInterruptedSave_deleted() throws IOException {
    Checkpoints c = load();
    c.put("/a", at(1));
    assertTrue(c.saveIfChanged());
    Files.writeString(dir.resolve(".checkpoints.json.tmp-00000000000000ff"), "{\"version\":1,\"fi");
    assertEquals(Optional.of(at(1)), load().get("/a"));
    assertEquals(List.of("checkpoints.json"), names());
  }
}
