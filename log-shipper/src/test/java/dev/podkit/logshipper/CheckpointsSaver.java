package dev.podkit.logshipper;

import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import dev.podkit.runtime.Ticker;
import java.nio.file.Path;

/**
 * The child JVM of {@link CheckpointsKillIT}: saves checkpoints of {@code files} paths in a
 * tight loop until killed. In round r every path's offset is {@code 100 * r}, so a file holding
 * more than one round shows. Prints "saving" after the first save. Args: file, files.
 */
final class CheckpointsSaver {
  private CheckpointsSaver() {}

  static String path(int i) {
    return "/var/log/pods/ns_pod-" + i + "/app/0.log";
  }

  public static void main(String[] args) {
    Checkpoints c = Checkpoints.load(Path.of(args[0]), Ticker.system(), CheckpointEvents.NONE);
    int files = Integer.parseInt(args[1]);
    for (long round = 1; ; round++) {
      for (int i = 0; i < files; i++) {
        c.put(path(i), new Position(new FileKey(2049, i), 100 * round, 64, i * 31L, 64, round));
      }
      if (!c.saveIfChanged()) {
        throw new IllegalStateException("save failed");
      }
      if (round == 1) {
        System.out.println("saving");
        System.out.flush();
      }
    }
  }
}
