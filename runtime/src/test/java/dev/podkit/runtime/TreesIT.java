package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Trees#delete} on real folders and links. */
class TreesIT {
  @TempDir Path dir;

  @Test
  void delete_nestedTree_goesWhole_andLinksOutOfItAreNotFollowed() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "kept");
    Path root = Files.createDirectories(dir.resolve("root/a/b"));
    Files.writeString(root.resolve("f.txt"), "x");
    Files.writeString(dir.resolve("root/top.txt"), "y");
    Files.createSymbolicLink(dir.resolve("root/a/to-outside"), outside);
    Files.createSymbolicLink(dir.resolve("root/dangling"), dir.resolve("missing"));

    Trees.delete(dir.resolve("root"));

    assertFalse(Files.exists(dir.resolve("root"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("kept", Files.readString(outside.resolve("keep.txt")));
  }

  @Test
  void delete_missingRoot_doesNothing() throws IOException {
    Trees.delete(dir.resolve("never-made"));
    assertTrue(Files.isDirectory(dir));
  }

  @Test
  void delete_rootThatIsALink_deletesTheLinkOnly() throws IOException {
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("f.txt"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    Trees.delete(link);

    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals("x", Files.readString(target.resolve("f.txt")));
  }
}
