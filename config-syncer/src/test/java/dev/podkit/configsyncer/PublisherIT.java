package dev.podkit.configsyncer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherIT {
  private static final InstantSource FIXED = InstantSource.fixed(Instant.parse("2025-01-31T12:00:00Z"));
  private static final List<String> NAMES = List.of("app.yaml", "conf.d/a.conf", "conf.d/b.conf");

  @TempDir Path target;

  @Test
  void publish_firstVersion_layoutLikeKubelet() throws IOException {
    RecordingPublishEvents events = new RecordingPublishEvents();
    Publisher publisher = new Publisher(target, FIXED, events);

    String v = publisher.publish(Map.of("app.yaml", bytes("a: 1"), "conf.d/x.conf", bytes("x")));

    assertEquals("..2025_01_31_12_00_00.000000000", v);
    assertEquals(v, publisher.current().orElseThrow());
    assertEquals(Path.of(v), Files.readSymbolicLink(target.resolve("..data")));
    assertEquals(Path.of("..data/app.yaml"), Files.readSymbolicLink(target.resolve("app.yaml")));
    assertEquals(Path.of("..data/conf.d"), Files.readSymbolicLink(target.resolve("conf.d")));
    assertEquals("a: 1", Files.readString(target.resolve("app.yaml")));
    assertEquals("x", Files.readString(target.resolve("conf.d/x.conf")));
    assertEquals(Set.of("..data", v, "app.yaml", "conf.d"), list(target));
    assertEquals(
        List.of("versionWritten <v> 2", "swapped null <v>", "linkCreated app.yaml", "linkCreated conf.d"),
        events.events());
  }

  @Test
  void publish_again_replacesContentAndRemovesOldVersionAndStaleNames() throws IOException {
    RecordingPublishEvents events = new RecordingPublishEvents();
    Publisher publisher = new Publisher(target, FIXED, events);
    String v1 = publisher.publish(Map.of("app.yaml", bytes("a: 1"), "old.txt", bytes("old")));
    events.clear();

    String v2 = publisher.publish(Map.of("app.yaml", bytes("a: 2"), "new.txt", bytes("new")));

    assertEquals("..2025_01_31_12_00_00.000000001", v2, "same clock reading, still a later name");
    assertEquals(v2, publisher.current().orElseThrow());
    assertEquals("a: 2", Files.readString(target.resolve("app.yaml")));
    assertEquals("new", Files.readString(target.resolve("new.txt")));
    assertEquals(Set.of("..data", v2, "app.yaml", "new.txt"), list(target));
    assertFalse(Files.exists(target.resolve(v1)));
    assertEquals(
        List.of("versionWritten <v> 2", "swapped <v> <v>", "linkRemoved old.txt", "linkCreated new.txt", "versionRemoved <v>"),
        events.events());
  }

  @Test
  void publish_stagingFolder_movedInAsVersion() throws IOException {
    Publisher publisher = new Publisher(target, FIXED, new PublishEvents() {});
    Path staging = Files.createDirectories(target.resolve("..staging/conf.d")).getParent();
    Files.writeString(staging.resolve("conf.d/a.conf"), "streamed");

    String v = publisher.publish(staging);

    assertFalse(Files.exists(staging));
    assertEquals("streamed", Files.readString(target.resolve("conf.d/a.conf")));
    assertEquals(Set.of("..data", v, "conf.d"), list(target));
  }

  @Test
  void publish_badName_rejectedAndNothingWritten() throws IOException {
    Publisher publisher = new Publisher(target, FIXED, new PublishEvents() {});
    publisher.publish(Map.of("app.yaml", bytes("a: 1")));
    Set<String> before = list(target);

    for (String bad : List.of("/etc/passwd", "../escape", "a/../../b", "", "a//b", "..data")) {
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("app.yaml", bytes("a: 2"));
      files.put(bad, bytes("x"));
      assertThrows(IllegalArgumentException.class, () -> publisher.publish(files), bad);
    }

    assertEquals(before, list(target));
    assertEquals("a: 1", Files.readString(target.resolve("app.yaml")));
  }

  @Test
  void publish_nameTakenByForeignFile_refusedBeforeWriting() throws IOException {
    Publisher publisher = new Publisher(target, FIXED, new PublishEvents() {});
    Files.writeString(target.resolve("app.yaml"), "mine");

    IOException e = assertThrows(IOException.class, () -> publisher.publish(Map.of("app.yaml", bytes("a: 1"))));

    assertTrue(e.getMessage().contains("not a link into ..data"), e.getMessage());
    assertEquals("mine", Files.readString(target.resolve("app.yaml")));
    assertEquals(Set.of("app.yaml"), list(target));
  }

  @Test
  void construct_afterCrashMidPublish_removesLeftoversAndKeepsPublishedVersion() throws IOException {
    String v1 = new Publisher(target, FIXED, new PublishEvents() {}).publish(Map.of("app.yaml", bytes("a: 1")));
    // A crash in step (2): the new version half-written, ..data_tmp made but not yet renamed.
    Path half = Files.createDirectory(target.resolve("..2025_01_31_12_00_05.000000000"));
    Files.writeString(half.resolve("app.yaml"), "a: ");
    Files.createSymbolicLink(target.resolve("..data_tmp"), Path.of(half.getFileName().toString()));
    RecordingPublishEvents events = new RecordingPublishEvents();

    Publisher publisher = new Publisher(target, FIXED, events);

    assertEquals(v1, publisher.current().orElseThrow());
    assertEquals("a: 1", Files.readString(target.resolve("app.yaml")));
    assertEquals(Set.of("..data", v1, "app.yaml"), list(target));
    assertEquals(List.of("leftoverRemoved ..data_tmp", "leftoverRemoved <v>"), events.events());
    String v2 = publisher.publish(Map.of("app.yaml", bytes("a: 2")));
    assertTrue(v2.compareTo(v1) > 0, v2 + " sorts after " + v1);
  }

  @Test
  void construct_afterCrashWhileStaging_removesStagingFolder() throws IOException {
    Publisher first = new Publisher(target, FIXED, new PublishEvents() {});
    String v1 = first.publish(Map.of("app.yaml", bytes("a: 1")));
    Path staging = first.newStaging();
    Files.writeString(staging.resolve("app.yaml"), "a: half");
    RecordingPublishEvents events = new RecordingPublishEvents();

    new Publisher(target, FIXED, events);

    assertFalse(Files.exists(staging));
    assertEquals(List.of("leftoverRemoved " + staging.getFileName()), events.events());
    assertEquals(Set.of("..data", v1, "app.yaml"), list(target));
  }

  @Test
  void construct_afterCrashBeforeLinks_completesLinks() throws IOException {
    new Publisher(target, FIXED, new PublishEvents() {}).publish(Map.of("app.yaml", bytes("a: 1"), "gone.txt", bytes("g")));
    Files.delete(target.resolve("app.yaml")); // as if step (3) had not created it yet

    new Publisher(target, FIXED, new PublishEvents() {});

    assertEquals("a: 1", Files.readString(target.resolve("app.yaml")));
  }

  @Test
  void publish_200VersionsWhileReading_readerNeverSeesMixOrPartialFile() throws Exception {
    Publisher publisher = new Publisher(target);
    publisher.publish(version(0));
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Set<Integer> seen = new HashSet<>();
    int[] counts = new int[3]; // reads, retried set reads, retried single reads
    Thread reader = Thread.ofPlatform().name("reader").start(() -> {
      try {
        for (int i = 0; i < 100_000 && (!done.get() || i < 2_000); i++) {
          readSet(seen, counts);
          readEachThroughLinks(counts);
          counts[0]++;
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });

    for (int v = 1; v <= 200 && failure.get() == null; v++) {
      publisher.publish(version(v));
    }
    done.set(true);
    reader.join();

    if (failure.get() != null) throw new AssertionError("reader failed", failure.get());
    assertTrue(counts[0] >= 2_000, "reads: " + counts[0]);
    assertTrue(seen.size() > 1, "reader saw versions " + seen);
    assertEquals("200", Files.readString(target.resolve("app.yaml")).substring(0, 3));
    try (Stream<Path> top = Files.list(target)) {
      assertEquals(1, top.filter(p -> p.getFileName().toString().startsWith("..2")).count());
    }
  }

  /** Reads the whole set through {@code ..data} resolved once; all files must carry one version. */
  private void readSet(Set<Integer> seen, int[] counts) throws IOException {
    while (true) {
      Path version = target.resolve(Files.readSymbolicLink(target.resolve("..data")));
      try {
        Set<Integer> numbers = new TreeSet<>();
        for (String name : NAMES) {
          numbers.add(versionOf(Files.readString(version.resolve(name)), name));
        }
        assertEquals(1, numbers.size(), "one read of the set saw versions " + numbers);
        seen.addAll(numbers);
        return;
      } catch (NoSuchFileException e) {
        assertRetired(version, e);
        counts[1]++;
      }
    }
  }

  /** Reads each file through its user-visible link; each must be complete. */
  private void readEachThroughLinks(int[] counts) throws IOException {
    for (String name : NAMES) {
      while (true) {
        Path before = Files.readSymbolicLink(target.resolve("..data"));
        try {
          versionOf(Files.readString(target.resolve(name)), name);
          break;
        } catch (NoSuchFileException e) {
          assertRetired(target.resolve(before), e);
          counts[2]++;
        }
      }
    }
  }

  /**
   * A file can go missing only when the reader resolved a version that a swap then retired: the
   * layout, like the kubelet's, removes the old folder right after the swap.
   */
  private void assertRetired(Path version, NoSuchFileException e) throws IOException {
    Path now = target.resolve(Files.readSymbolicLink(target.resolve("..data")));
    if (now.equals(version)) throw new AssertionError("file missing from the published version " + version, e);
  }

  /** Each file is {@code <v>\n} repeated to 4 KiB plus an end mark; returns v, fails if partial or mixed. */
  private static int versionOf(String content, String name) {
    int v = Integer.parseInt(content.substring(0, content.indexOf('\n')));
    assertEquals(content(v, name), content, name + " is partial or mixed");
    return v;
  }

  private static Map<String, byte[]> version(int v) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : NAMES) {
      files.put(name, bytes(content(v, name)));
    }
    return files;
  }

  private static String content(int v, String name) {
    return (v + "\n").repeat(4096 / (String.valueOf(v).length() + 1)) + "end " + name + "\n";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static Set<String> list(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return new TreeSet<>(entries.map(p -> p.getFileName().toString()).toList());
    }
  }
}
