package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles} on real files: content, a concurrent reader, failures, leftovers. */
class AtomicFilesIT {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void write_missingTarget_createdWithContent() throws IOException {
    Path target = dir.resolve("state.json");
    AtomicFiles.write(target, utf8("{}"));
    assertEquals("{}", Files.readString(target));
    assertEquals(List.of("state.json"), names());
  }

  @Test
  void write_existingTarget_contentReplacedNoTempLeft() throws IOException {
    Path target = dir.resolve("state.json");
    Files.writeString(target, "old content that is longer than the new");
    AtomicFiles.write(target, utf8("new"));
    assertEquals("new", Files.readString(target));
    AtomicFiles.write(target, new byte[0]);
    assertEquals(0, Files.size(target));
    assertEquals(List.of("state.json"), names());
  }

  /** Version v is {@code length(v)} bytes, all equal to v: a torn or mixed read shows at once. */
  private static int length(int v) {
    return 1 + (v * 7919) % 65536;
  }

  @Test
  void write_readerLoopsDuringManyRewrites_alwaysReadsOneWholeVersion() throws Exception {
    Path target = dir.resolve("state.bin");
    AtomicFiles.write(target, version(0));
    int versions = 300;
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int v = 1; v < versions; v++) {
          AtomicFiles.write(target, version(v));
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    int reads = 0;
    while (!writer.isDone() && reads < 1_000_000) {
      byte[] b = Files.readAllBytes(target);
      assertTrue(b.length > 0, "read " + reads + ": empty");
      int v = b[0] & 0xFF;
      assertEquals(length(v), b.length, "read " + reads + ": length of version " + v);
      for (byte x : b) {
        assertEquals(b[0], x, "read " + reads + ": mixed versions");
      }
      reads++;
    }
    writer.get(60, TimeUnit.SECONDS);
    assertArrayEquals(version(versions - 1), Files.readAllBytes(target));
    assertTrue(reads > 0);
    assertEquals(List.of("state.bin"), names());
  }

  private static byte[] version(int v) {
    byte[] b = new byte[length(v & 0xFF)];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @Test
  void write_renameFails_throwsAndTempFileRemoved() throws IOException {
    // rename(2) of a file over a non-empty folder fails (EISDIR), even for root.
    Path target = dir.resolve("taken");
    Files.createDirectory(target);
    Files.writeString(target.resolve("inside"), "x");
    assertThrows(IOException.class, () -> AtomicFiles.write(target, utf8("new")));
    assertEquals(List.of("taken"), names());
    assertEquals("x", Files.readString(target.resolve("inside")));
  }

  @Test
  void write_folderMissing_throwsNoSuchFile() {
    Path target = dir.resolve("missing/state.json");
    assertThrows(NoSuchFileException.class, () -> AtomicFiles.write(target, utf8("new")));
  }

  @Test
  void deleteLeftovers_tempFilesOfACrash_deletedOthersKept() throws IOException {
    Path target = dir.resolve("state.json");
    AtomicFiles.write(target, utf8("kept"));
    Files.writeString(dir.resolve(".state.json.tmp-0123456789abcdef"), "half");
    Files.writeString(dir.resolve(".state.json.tmp-fedcba9876543210"), "half");
    Files.writeString(dir.resolve(".other.json.tmp-0123456789abcdef"), "not ours");
    assertEquals(2, AtomicFiles.deleteLeftovers(target));
    assertEquals(List.of(".other.json.tmp-0123456789abcdef", "state.json"), names());
    assertEquals("kept", Files.readString(target));
  }
}
