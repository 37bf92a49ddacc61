package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Ticker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local folders as the source: mounted ConfigMaps (the kubelet layout) merged into one target. */
class DirectorySyncIT {
  private static final Limits LIMITS = new Limits(1 << 20, 1000);

  @TempDir Path dir;

  private Syncer syncer(Path target, Path... folders) throws Exception {
    return new Syncer(new DirectorySource(List.of(folders)), new Publisher(target), target, LIMITS,
        new SyntaxCheck(Set.of(SyntaxCheck.Kind.PROPERTIES)), new RecordingSyncEvents(), Ticker.system());
  }

  /** A folder in the kubelet's ConfigMap layout, as a mounted ConfigMap is: written by a Publisher. */
  private Path configMap(String name, Map<String, String> files) throws Exception {
    Path p = dir.resolve(name);
    Map<String, byte[]> bytes = new java.util.HashMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    new Publisher(p).publish(bytes);
    return p;
  }

  @Test
  void twoConfigMaps_mergedThroughTheirVisibleNames_changesFollowed() throws Exception {
    Path a = configMap("cm-a", Map.of("app.properties", "a=1\n"));
    Path b = configMap("cm-b", Map.of("conf.d/b.conf", "b"));
    Path target = dir.resolve("target");
    Syncer s = syncer(target, a, b);

    Syncer.Outcome first = s.sync(new Cancellation());
    Syncer.Outcome same = s.sync(new Cancellation());
    new Publisher(a).publish(Map.of("app.properties", "a=2\n".getBytes(StandardCharsets.UTF_8)));
    Syncer.Outcome changed = s.sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, first.result(), first.message());
    assertEquals(Syncer.Result.UNCHANGED, same.result());
    assertEquals(Syncer.Result.PUBLISHED, changed.result());
    assertEquals("a=2\n", Files.readString(target.resolve("app.properties")));
    assertEquals("b", Files.readString(target.resolve("conf.d/b.conf")));
    try (var names = Files.list(target.resolve("..data"))) {
      assertEquals(Set.of("app.properties", "conf.d"), names.map(p -> p.getFileName().toString())
          .collect(java.util.stream.Collectors.toSet()), "only the visible names, not the source's ..data or versions");
    }
  }

  @Test
  void configMapLayout_readFromTheVersionDataNamesOnly_evenWithAStaleVisibleName() throws Exception {
    Path cm = configMap("cm", Map.of("a.conf", "new"));
    // A visible name that points into an old version folder must not be copied: only ..data counts.
    Files.createSymbolicLink(cm.resolve("stale.conf"), Path.of("..2000_01_01_00_00_00.000000000/stale.conf"));
    Path target = dir.resolve("target");

    Syncer.Outcome o = syncer(target, cm).sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, o.result(), o.message());
    assertEquals("new", Files.readString(target.resolve("a.conf")));
    assertFalse(Files.exists(target.resolve("stale.conf"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void sameNameInTwoFolders_refusedAsAConflict() throws Exception {
    Path a = configMap("cm-a", Map.of("app.properties", "a=1\n"));
    Path b = configMap("cm-b", Map.of("app.properties", "a=2\n"));

    Syncer.Outcome o = syncer(dir.resolve("target"), a, b).sync(new Cancellation());

    assertEquals(SyncFailure.Reason.FORMAT, o.reason(), o.message());
    assertTrue(o.message().contains("app.properties"), o.message());
  }

  @Test
  void linkOutOfTheFolder_refused_brokenPropertiesRefused() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(dir.resolve("secret.txt"), "outside");
    Files.createSymbolicLink(src.resolve("leak.txt"), Path.of("../secret.txt"));
    Syncer.Outcome leak = syncer(dir.resolve("t1"), src).sync(new Cancellation());

    Files.delete(src.resolve("leak.txt"));
    Files.writeString(src.resolve("bad.properties"), "key=\\u12G4\n");
    Syncer.Outcome bad = syncer(dir.resolve("t2"), src).sync(new Cancellation());

    assertEquals(SyncFailure.Reason.UNSAFE_PATH, leak.reason(), leak.message());
    assertFalse(Files.exists(dir.resolve("t1/leak.txt")));
    assertEquals(SyncFailure.Reason.SYNTAX, bad.reason(), bad.message());
    assertTrue(bad.message().startsWith("bad.properties: "), bad.message());
  }
}
