package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Images tests need besides podkit's own, built locally because no registry can be reached:
 * {@code podkit-test/busybox:local}, from Debian's busybox-static (/bin/busybox).
 */
public final class LocalImages {
  public static final String BUSYBOX = "podkit-test/busybox:local";
  private static final List<String> APPLETS = List.of("sh", "nc", "sleep", "echo", "cat", "httpd", "date",
      "true", "false", "ls", "mkdir", "touch", "wget", "nslookup", "env");

  private LocalImages() {}

  /** Makes sure the busybox image exists; returns its name. */
  public static synchronized String busybox() {
    if (run(List.of("docker", "image", "inspect", BUSYBOX), null) == 0) {
      return BUSYBOX;
    }
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      throw new IllegalStateException("/bin/busybox is missing: install Debian's busybox-static (scripts/host-setup.sh)");
    }
    try {
      Path root = Files.createTempDirectory("podkit-busybox");
      Path bin = Files.createDirectories(root.resolve("bin"));
      Files.copy(busybox, bin.resolve("busybox"));
      for (String a : APPLETS) {
        Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
      }
      Files.createDirectories(root.resolve("tmp"));
      Path tar = root.resolveSibling(root.getFileName() + ".tar");
      if (run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."), null) != 0
          || run(List.of("docker", "import", "-c", "ENV PATH=/bin", tar.toString(), BUSYBOX), null) != 0) {
        throw new IllegalStateException("could not build " + BUSYBOX);
      }
      return BUSYBOX;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int run(List<String> command, Path dir) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
