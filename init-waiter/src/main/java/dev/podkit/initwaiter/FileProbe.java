package dev.podkit.initwaiter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Ready when a file (or folder) exists and, if asked, is not empty. Links are followed. */
final class FileProbe implements Probe {
  private final Path path;
  private final boolean nonEmpty;

  FileProbe(Path path, boolean nonEmpty) {
    this.path = path;
    this.nonEmpty = nonEmpty;
  }

  @Override
  public ProbeResult check(Duration timeout) {
    if (!Files.exists(path)) {
      return ProbeResult.notReady("no such file " + path);
    }
    if (!nonEmpty) {
      return ProbeResult.ready("exists");
    }
    try {
      boolean empty = Files.isDirectory(path) ? isEmptyDir(path) : Files.size(path) == 0;
      return empty ? ProbeResult.notReady("empty") : ProbeResult.ready("exists, not empty");
    } catch (IOException e) {
      return ProbeResult.notReady("cannot read " + path + ": " + e.getMessage());
    }
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
