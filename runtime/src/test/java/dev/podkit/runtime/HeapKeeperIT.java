package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The keeper in a real child JVM on Serial GC with a young generation as small as tcp-ambassador's. */
class HeapKeeperIT {
  /** Runs the demo: JVM flags, then its two arguments (megabytes, drop or hold). */
  private static Map<String, Long> run(String... flagsThenArgs) throws Exception {
    List<String> given = List.of(flagsThenArgs);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-Xms8m", "-XX:MaxNewSize=8m", "-Xmx512m"));
    command.addAll(given.subList(0, given.size() - 2));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapKeeperDemo.class.getName()));
    command.addAll(given.subList(given.size() - 2, given.size()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not exit");
      assertEquals(0, p.exitValue(), out);
      String line = out.lines().filter(l -> l.startsWith("result ")).findFirst().orElseThrow(() -> new AssertionError(out));
      Map<String, Long> r = new HashMap<>();
      for (String kv : line.substring("result ".length()).split(" ")) {
        String[] f = kv.split("=");
        r.put(f[0], f[1].equals("true") ? 1L : f[1].equals("false") ? 0L : Long.parseLong(f[1]));
      }
      r.put("logged", out.contains("\"message\":\"heap collected\"") ? 1L : 0L);
      r.put("offWarnings", out.lines().filter(l -> l.contains("heap keeping is off")).count());
      return r;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void burstPromotedThenDropped_collectedOnce_heapGivenBack() throws Exception {
    Map<String, Long> r = run("-XX:-ShrinkHeapInSteps", "48", "drop");
    assertEquals(0, r.get("atStart"), "nothing to collect at start: " + r);
    assertTrue(r.get("oldBefore") > 40L << 20, "the burst was promoted: " + r);
    assertEquals(1, r.get("afterBurst"), r.toString());
    assertTrue(r.get("oldAfter") < 8L << 20, "the burst's garbage collected: " + r);
    assertTrue(r.get("committedAgain") < r.get("committedBefore") / 2, "the heap shrank: " + r);
    assertEquals(0, r.get("again"), "no second collection without new growth: " + r);
    assertEquals(1, r.get("collections"), r.toString());
    assertEquals(1, r.get("logged"), r.toString());
  }

  @Test
  void burstStillLiveAtTheFirstCollection_collectedAgainOnceItIsGarbage() throws Exception {
    Map<String, Long> r = run("-XX:-ShrinkHeapInSteps", "48", "hold");
    assertEquals(1, r.get("afterBurst"), "grown: " + r);
    assertTrue(r.get("oldAfter") > 40L << 20, "still live then: " + r);
    assertEquals(1, r.get("again"), "the live amount was high, so asked again: " + r);
    assertTrue(r.get("oldAgain") < 8L << 20, "the burst's garbage collected: " + r);
    assertTrue(r.get("committedAgain") < r.get("committedBefore") / 2, "the heap shrank: " + r);
    assertEquals(0, r.get("third"), "back at the floor: no more collections: " + r);
    assertEquals(2, r.get("collections"), r.toString());
  }

  @Test
  void explicitCollectionsDisabled_saidOnce_thenNoMoreAsking() throws Exception {
    Map<String, Long> r = run("-XX:+DisableExplicitGC", "48", "drop");
    assertEquals(0, r.get("afterBurst"), "the JVM ran no collection: " + r);
    assertEquals(0, r.get("again"), r.toString());
    assertEquals(0, r.get("collections"), r.toString());
    assertEquals(1, r.get("offWarnings"), "said once: " + r);
    assertEquals(0, r.get("logged"), r.toString());
  }

  @Test
  void smallGrowth_belowTheMinimum_noCollection() throws Exception {
    Map<String, Long> r = run("8", "drop");
    assertEquals(0, r.get("afterBurst"), "8 MB is below the 16 MB minimum: " + r);
    assertEquals(0, r.get("collections"), r.toString());
  }
}
