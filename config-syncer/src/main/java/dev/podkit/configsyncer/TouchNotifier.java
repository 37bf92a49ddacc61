package dev.podkit.configsyncer;

import dev.podkit.runtime.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Replaces a file with the published version's label, atomically: a watcher of its modification
 * time, or of its content, sees each new version.
 */
final class TouchNotifier implements Notifier {
  private final Path file;

  TouchNotifier(Path file) {
    this.file = file;
  }

  @Override
  public String kind() {
    return "touch";
  }

  @Override
  public void notify(String version) throws IOException {
    AtomicFiles.write(file, (version + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
