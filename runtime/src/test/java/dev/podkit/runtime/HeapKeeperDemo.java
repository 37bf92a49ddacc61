package dev.podkit.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * For {@link HeapKeeperIT}, in a child JVM on the image's collector: a burst of objects that live
 * long enough to be promoted; the keeper is checked at start, after the burst and once more.
 * {@code drop}: the burst is garbage by the first check after it; {@code hold}: it is still live
 * then, and dropped before the next.
 */
public final class HeapKeeperDemo {
  private HeapKeeperDemo() {}

  public static void main(String[] args) {
    long megabytes = Long.parseLong(args[0]);
    boolean hold = args[1].equals("hold");
    HeapKeeper keeper = HeapKeeper.ofOldGeneration(16L << 20, 0, 0).orElseThrow();
    MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getName().equals("Tenured Gen")).findFirst().orElseThrow();
    boolean atStart = keeper.check();
    // Held across many young collections (the young generation is a few megabytes), so promoted.
    List<byte[]> burst = new ArrayList<>();
    for (long i = 0; i < megabytes * 64; i++) {
      burst.add(new byte[16 * 1024]);
    }
    if (!hold) {
      burst = null;
    }
    long oldBefore = old.getUsage().getUsed();
    long committedBefore = Runtime.getRuntime().totalMemory();
    boolean afterBurst = keeper.check();
    long oldAfter = old.getUsage().getUsed();
    burst = null;
    boolean again = keeper.check();
    long oldAgain = old.getUsage().getUsed();
    long committedAgain = Runtime.getRuntime().totalMemory();
    boolean third = keeper.check();
    System.out.println("result atStart=" + atStart + " afterBurst=" + afterBurst + " again=" + again
        + " third=" + third + " oldBefore=" + oldBefore + " oldAfter=" + oldAfter + " oldAgain=" + oldAgain
        + " committedBefore=" + committedBefore + " committedAgain=" + committedAgain
        + " collections=" + keeper.collections());
  }
}
