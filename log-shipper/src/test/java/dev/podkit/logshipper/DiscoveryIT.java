package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Discovery} on real folders: globs, excludes, symlinks, and folders that change. */
class DiscoveryIT {
  @TempDir Path dir;
  private final List<String> failures = new ArrayList<>();
  private final DiscoveryEvents events = new DiscoveryEvents() {
    @Override
    public void scanFailed(Path path, IOException error) {
      synchronized (failures) {
        failures.add(dir.relativize(path) + " " + error.getClass().getSimpleName());
      }
    }
  };

  private Path file(String relative) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, "x\n");
  }

  private Discovery discovery(List<String> include, List<String> exclude) {
    return new Discovery(include.stream().map(p -> dir + "/" + p).toList(),
        exclude.stream().map(p -> p.contains("/") ? dir + "/" + p : p).toList(), events);
  }

  /** The scan's paths relative to the temp folder. */
  private List<String> scan(Discovery d) {
    return d.scan().stream().map(p -> dir.relativize(p).toString()).toList();
  }

  private List<String> scan(String... include) {
    return scan(discovery(List.of(include), List.of()));
  }

  @Test
  void scan_namesTheCallerKnowsAsFiles_takenWithoutAStat_excludesStillApply() throws IOException {
    file("app/a.log");
    file("app/skip.log");
    Files.createDirectories(dir.resolve("app/dir.log")); // a stat leaves it out: not a regular file
    Discovery d = discovery(List.of("app/*.log"), List.of("skip.log"));
    assertEquals(List.of("app/a.log"), scan(d));
    // On the caller's word, without a stat: a name it knows is found as it is listed; an excluded
    // name stays out, and a known name no longer in the folder is not found.
    Predicate<Path> known = p -> p.getFileName().toString().matches("dir\\.log|skip\\.log|gone\\.log");
    assertEquals(List.of("app/a.log", "app/dir.log"), d.scan(known).stream().map(p -> dir.relativize(p).toString()).toList());
    assertEquals(List.of(), failures);
  }

  @Test
  void scan_starInLastName_thatFolderOnlySorted() throws IOException {
    file("app/b.log");
    file("app/a.log");
    file("app/c.txt");
    file("app/sub/d.log");
    file("other/e.log");
    Files.createDirectories(dir.resolve("app/dir.log"));
    assertEquals(List.of("app/a.log", "app/b.log"), scan("app/*.log"));
    assertEquals(List.of(), failures);
  }

  @Test
  void scan_questionMarkBracesAndClasses_matchAsGlobs() throws IOException {
    file("app/a1.log");
    file("app/a22.log");
    file("web/access.log");
    file("web/error.log");
    file("db/x.log");
    assertEquals(List.of("app/a1.log"), scan("app/a?.log"));
    assertEquals(List.of("app/a1.log", "web/access.log"), scan("{app/a1,web/acc*}.log"));
    assertEquals(List.of("app/a1.log", "app/a22.log", "db/x.log"), scan("[ad]*/*.log"));
  }

  @Test
  void scan_globFolders_pathsLikeKubernetesPods() throws IOException {
    file("pods/ns_a_1/app/0.log");
    file("pods/ns_a_1/app/1.log.20260101-000000");
    file("pods/ns_b_2/sidecar/0.log");
    file("pods/ns_b_2/0.log");
    assertEquals(List.of("pods/ns_a_1/app/0.log", "pods/ns_b_2/sidecar/0.log"), scan("pods/*/*/*.log"));
  }

  @Test
  void scan_doubleStar_zeroOrMoreFolders() throws IOException {
    file("x.log");
    file("a/y.log");
    file("a/b/z.log");
    file("a/b/z.txt");
    assertEquals(List.of("a/b/z.log", "a/y.log", "x.log"), scan("**/*.log"));
    assertEquals(List.of("a/b/z.log", "a/b/z.txt", "a/y.log", "x.log"), scan("**"));
    assertEquals(List.of("a/b/z.log"), scan("a/**/b/*.log"));
  }

  @Test
  void scan_doubleStar_atMost16FoldersDeep() throws IOException {
    StringBuilder path = new StringBuilder();
    for (int depth = 1; depth <= 18; depth++) {
      path.append("d").append(depth).append('/');
      file(path + "f" + depth + ".log");
    }
    List<String> found = scan("**/*.log");
    assertEquals(Discovery.MAX_ANY_DEPTH, found.size(), found.toString());
    assertTrue(found.stream().anyMatch(f -> f.endsWith("/d16/f16.log")), found.toString());
  }

  @Test
  void scan_noGlob_theFileIfItExists() throws IOException {
    assertEquals(List.of(), scan("app/app.log"));
    file("app/app.log");
    assertEquals(List.of("app/app.log"), scan("app/app.log"));
  }

  @Test
  void scan_excludes_byWholePathOrByName() throws IOException {
    file("pods/kube-system_dns_1/c/0.log");
    file("pods/app_web_2/c/0.log");
    file("pods/app_web_2/c/0.log.gz");
    file("pods/app_web_2/c/skip.log");
    Discovery d = discovery(List.of("pods/**"), List.of("pods/kube-system_*/**", "*.gz", "pods/*/c/skip.*"));
    assertEquals(List.of("pods/app_web_2/c/0.log"), scan(d));
  }

  @Test
  void scan_symlinks_followedReportedByLinkNameDanglingSkipped() throws IOException {
    Path target = file("pods/ns_web_1/nginx/0.log");
    Files.createDirectories(dir.resolve("containers"));
    Files.createSymbolicLink(dir.resolve("containers/web_ns_nginx-1.log"), Path.of("../pods/ns_web_1/nginx/0.log"));
    Files.createSymbolicLink(dir.resolve("containers/gone_ns_c-2.log"), dir.resolve("pods/ns_gone_2/c/0.log"));
    Files.createSymbolicLink(dir.resolve("containers/dir.log"), dir.resolve("pods"));
    assertEquals(List.of("containers/web_ns_nginx-1.log"), scan("containers/*.log"));
    Files.delete(target);
    assertEquals(List.of(), scan("containers/*.log"));
    assertEquals(List.of(), failures);
  }

  @Test
  void scan_symlinkedFolders_followedLoopsStopped() throws IOException {
    file("real/a.log");
    Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("real"));
    Files.createSymbolicLink(dir.resolve("real/up"), dir);
    assertEquals(List.of("linked/a.log"), scan("linked/*.log"));
    assertEquals(List.of("linked/a.log", "real/a.log"), scan("**/*.log"));
  }

  @Test
  void scan_selfLinkInAListedFolder_reportedScanGoesOn() throws IOException {
    file("app/a.log");
    Path loop = dir.resolve("app/loop.log");
    Files.createSymbolicLink(loop, loop);
    assertEquals(List.of("app/a.log"), scan("app/*.log"));
    assertEquals(List.of("app/loop.log FileSystemException"), failures);
  }

  @Test
  void scan_filesComeAndGo_eachScanSeesTheCurrentSet() throws IOException {
    Discovery d = discovery(List.of("app/*.log"), List.of());
    assertEquals(List.of(), scan(d), "folder not there yet");
    file("app/a.log");
    assertEquals(List.of("app/a.log"), scan(d));
    file("app/b.log");
    Files.delete(dir.resolve("app/a.log"));
    assertEquals(List.of("app/b.log"), scan(d));
    Files.delete(dir.resolve("app/b.log"));
    Files.delete(dir.resolve("app"));
    assertEquals(List.of(), scan(d));
    assertEquals(List.of(), failures);
  }

  @Test
  void scan_foldersCreatedAndDeletedDuringScans_noErrors() throws Exception {
    Discovery d = discovery(List.of("pods/*/*/*.log"), List.of());
    Files.createDirectories(dir.resolve("pods"));
    CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 300; i++) {
          Path pod = dir.resolve("pods/ns_p" + i % 7);
          Files.createDirectories(pod.resolve("c"));
          Files.writeString(pod.resolve("c/0.log"), "x");
          Files.delete(pod.resolve("c/0.log"));
          Files.delete(pod.resolve("c"));
          Files.delete(pod);
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    for (int scans = 0; !churn.isDone() && scans < 100_000; scans++) {
      for (Path p : d.scan()) {
        assertTrue(p.toString().endsWith("/c/0.log"), p.toString());
      }
    }
    churn.get(60, TimeUnit.SECONDS);
    assertEquals(List.of(), failures);
  }

  @Test
  void scan_tenThousandFilesInOneFolder_wellUnderASecond() throws IOException {
    Files.createDirectories(dir.resolve("many"));
    for (int i = 0; i < 10_000; i++) {
      Files.createFile(dir.resolve("many/f" + i + ".log"));
    }
    Discovery d = discovery(List.of("many/*.log"), List.of("*-skip.log"));
    assertEquals(10_000, d.scan().size()); // warm up
    long t0 = System.nanoTime();
    assertEquals(10_000, d.scan().size());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 1000, "scan took " + ms + " ms");
  }

  @Test
  void problems_severalBadPatterns_everyOneReported() {
    assertEquals(List.of("include not absolute: app/*.log", "unbalanced braces: /a/{b", "exclude neither absolute nor a file name: pods/*.log",
        "exclude not a valid glob: *.[gz"),
        Discovery.problems(List.of("app/*.log", "/ok/*.log", "/a/{b"), List.of("pods/*.log", "*.gz", "*.[gz")));
  }

  @Test
  void new_invalidExclude_rejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Discovery(List.of("/a/*.log"), List.of("pods/*.log"), events));
    assertEquals("exclude neither absolute nor a file name: pods/*.log", e.getMessage());
  }
}
