package dev.podkit.filetail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.FakeTicker;
import dev.podkit.testfixtures.LogWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers that share {@link FileClaims}, on real files: a file renamed to a name another
 * follower watches (a glob that matches the rotated name too) is read once.
 */
class FileClaimsIT {
  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final ReadBuffer buffer = new ReadBuffer(64 * 1024);
  private final List<Path> handedOver = new ArrayList<>();
  private final FileClaims claims = new FileClaims(new FileClaims.Listener() {
    @Override
    public void handedOver(Path path) {
      handedOver.add(path);
    }
  });
  private final List<FileFollower> followers = new ArrayList<>();

  private FileFollower follow(Path path, Start start, RecordingSink sink, RecordingEvents events) {
    FileFollower f = new FileFollower(path, start, TailOptions.defaults(), buffer, ticker, sink, events, claims);
    followers.add(f);
    return f;
  }

  /** Polls until a poll reads nothing; returns the lines delivered since the last call. */
  private static List<String> drain(FileFollower f, RecordingSink sink) {
    int before = sink.size();
    for (int i = 0; f.poll() > 0; i++) {
      assertTrue(i < 1000, "still reading after 1000 polls");
    }
    return sink.lines().subList(before, sink.size());
  }

  @AfterEach
  void closeFollowers() throws IOException {
    for (FileFollower f : followers) f.close();
  }

  @Test
  void poll_renamedToAnotherFollowersName_waitsWhileHeld_thenReadsOnFromWhereItWasLeft() {
    RecordingSink current = new RecordingSink();
    RecordingSink old = new RecordingSink();
    RecordingEvents oldEvents = new RecordingEvents();
    try (LogWriter log = new LogWriter(dir.resolve("app.log"))) {
      log.lines("a1", "a2");
      FileFollower a = follow(dir.resolve("app.log"), Start.beginning(), current, new RecordingEvents());
      FileFollower b = follow(dir.resolve("app.log.1"), Start.beginning(), old, oldEvents);
      assertEquals(List.of("a1", "a2"), drain(a, current));
      log.renameTo(dir.resolve("app.log.1")).lines("a3");
      assertEquals(List.of(), drain(b, old), "app.log's follower still holds the file");
      log.text("a4-cut").reopen().lines("b1");
      assertEquals(List.of("a3", "a4-cut [UNTERMINATED]", "b1"), drain(a, current));
      assertEquals(List.of(), drain(b, old), "opened where app.log's follower left it");
      try (LogWriter late = new LogWriter(dir.resolve("app.log.1"))) {
        late.lines("a5");
      }
      assertEquals(List.of("a5"), drain(b, old));
      assertEquals(List.of(dir.resolve("app.log.1")), handedOver);
      assertEquals(List.of("opened 15"), oldEvents.events());
    }
  }

  @Test
  void poll_remembered_resumesThere_whateverTheName() throws IOException {
    Path first = dir.resolve("first.log");
    RecordingSink sink = new RecordingSink();
    try (LogWriter log = new LogWriter(first)) {
      log.lines("x1", "x2");
    }
    FileFollower reader = follow(first, Start.beginning(), sink, new RecordingEvents());
    drain(reader, sink);
    Position at = reader.position().orElseThrow();
    reader.close();
    FileClaims restarted = new FileClaims(null);
    restarted.remember(at);
    try (LogWriter log = new LogWriter(first)) {
      log.lines("x3");
    }
    java.nio.file.Files.move(first, dir.resolve("first.log.1"));
    RecordingSink again = new RecordingSink();
    FileFollower renamed = new FileFollower(dir.resolve("first.log.1"), Start.beginning(), TailOptions.defaults(),
        buffer, ticker, again, new RecordingEvents(), restarted);
    followers.add(renamed);
    assertEquals(List.of("x3"), drain(renamed, again));
  }

  @Test
  void poll_rememberedPositionOfAnotherContent_newFileReadFromItsStart() throws IOException {
    Path app = dir.resolve("app.log");
    try (LogWriter log = new LogWriter(app)) {
      log.lines("new-1", "new-2");
    }
    // As a new file that reuses the inode of one read before: same key, other first bytes.
    claims.remember(new Position(FileKey.at(app), 6, 6, 12345L, 6, 12345L));
    RecordingSink sink = new RecordingSink();
    RecordingEvents events = new RecordingEvents();
    FileFollower f = follow(app, Start.beginning(), sink, events);
    assertEquals(List.of("new-1", "new-2"), drain(f, sink));
    assertEquals(List.of("resumeRejected: first 6 bytes differ", "opened 0"), events.events());
  }

  @Test
  void retain_forgetsFilesNoLongerPresent() throws IOException {
    Path app = dir.resolve("app.log");
    try (LogWriter log = new LogWriter(app)) {
      log.lines("a");
    }
    FileKey key = FileKey.at(app);
    claims.remember(new Position(key, 2, 2, 0, 2, 0));
    claims.remember(new Position(new FileKey(key.dev(), key.ino() + 1), 2, 2, 0, 2, 0));
    claims.retain(Set.of(key));
    assertEquals(1, claims.leftCount());
    claims.retain(Set.of());
    assertEquals(0, claims.leftCount());
  }
}
