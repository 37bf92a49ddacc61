package dev.podkit.configsyncer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SHA-256 over a folder's names and file contents, in name order: two folders with the same
 * files have the same digest. It tells whether a fetched version differs from the published one
 * when the source cannot say (no ETag, a restart with nothing remembered).
 */
final class TreeDigest {
  private TreeDigest() {}

  /** The digest of everything under {@code root}, as hex; links are read as what they point at. */
  static String of(Path root) throws IOException {
    MessageDigest all = sha256();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(p -> !p.equals(root)).sorted().toList();
    }
    byte[] buf = new byte[64 * 1024];
    for (Path p : paths) {
      String name = root.relativize(p).toString();
      boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      all.update((dir ? "d " : "f ").getBytes(StandardCharsets.UTF_8));
      all.update(name.getBytes(StandardCharsets.UTF_8));
      all.update((byte) 0);
      if (!dir) {
        try (InputStream in = Files.newInputStream(p)) {
          int n;
          while ((n = in.read(buf)) > 0) all.update(buf, 0, n);
        }
        all.update((byte) 0);
      }
    }
    return HexFormat.of().formatHex(all.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
