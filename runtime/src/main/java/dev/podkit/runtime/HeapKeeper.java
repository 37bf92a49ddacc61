package dev.podkit.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Hands the Java heap back after a burst, for a long-lived helper on the Serial collector.
 *
 * <p>Serial GC collects the old generation only when it cannot grow it any more: objects that
 * outlived a few young collections (connections held for seconds, then closed) pile up there as
 * garbage, and the heap grows towards its maximum (a share of the container's limit, or of the
 * node's memory without one) and stays that size. {@link #check} asks for a full collection
 *
 * <ul>
 *   <li>once the old generation holds more than it did after the last full collection by both
 *       {@code minGrowth} and that live amount again (garbage is likely), or
 *   <li>when the last full collection found more live than the least ever found (or than was in
 *       use at start) by half {@code minGrowth}: the burst may be over by now. Asked again
 *       {@code recheck} after that collection, then twice as long after each that still finds
 *       it high (up to 16 times), so that a live set that is really large (many connections
 *       open) costs few collections.
 * </ul>
 *
 * <p>With {@code -XX:-ShrinkHeapInSteps} a collection gives the free part back at once (the
 * heap's free ratios say how much it keeps). Whose full collection came last, the JVM's or
 * ours, does not matter: the live amount is the pool's usage after it.
 */
public final class HeapKeeper {
  private static final Log LOG = Log.named("heap");
  private static final int MAX_BACKOFF = 16;

  private final MemoryPoolMXBean old;
  private final List<GarbageCollectorMXBean> oldCollectors;
  private final long minGrowth;
  private final long minGapNanos;
  private final long recheckNanos;
  private final long startLive;
  private long floor;
  private long lastCollectionNanos;
  private long backoff = 1;
  private long collections;
  private boolean disabled;

  private HeapKeeper(MemoryPoolMXBean old, List<GarbageCollectorMXBean> oldCollectors, long minGrowth,
      long minGapNanos, long recheckNanos) {
    this.old = old;
    this.oldCollectors = oldCollectors;
    this.minGrowth = minGrowth;
    this.minGapNanos = minGapNanos;
    this.recheckNanos = recheckNanos;
    this.startLive = old.getUsage().getUsed();
    this.floor = startLive;
    this.lastCollectionNanos = System.nanoTime() - Math.max(minGapNanos, recheckNanos * MAX_BACKOFF);
  }

  /**
   * A keeper of this JVM's old generation, or none when the collector has no pool of that name
   * (not Serial or Parallel: the concurrent collectors give memory back on their own).
   *
   * @param minGrowth bytes by which the old generation must have grown (see above)
   * @param minGapNanos the least time between two collections asked for by this keeper
   * @param recheckNanos how long after a collection that found a high live amount to ask again
   */
  public static Optional<HeapKeeper> ofOldGeneration(long minGrowth, long minGapNanos, long recheckNanos) {
    Optional<MemoryPoolMXBean> pool = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && (p.getName().equals("Tenured Gen") || p.getName().equals("PS Old Gen")))
        .findFirst();
    return pool.map(p -> new HeapKeeper(p, ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(c -> Arrays.asList(c.getMemoryPoolNames()).contains(p.getName())) // the full collector only
        .toList(), minGrowth, minGapNanos, recheckNanos));
  }

  /** Bytes live in the old generation after its last full collection (at start before the first). */
  private long live() {
    MemoryUsage after = old.getCollectionUsage();
    return fullCollections() > 0 && after != null ? after.getUsed() : startLive;
  }

  private long fullCollections() {
    return oldCollectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  /** Full collections this keeper asked for. */
  public long collections() {
    return collections;
  }

  /**
   * Asks for a full collection when one of the rules above says so and the last one asked for
   * is at least the gap ago; returns whether it did. When the JVM does not run it
   * ({@code -XX:+DisableExplicitGC}), says so once and asks no more. Blocks for the collection (tens of
   * milliseconds for a heap of a few tens of megabytes), as every thread does for a full one.
   */
  public boolean check() {
    if (disabled) {
      return false;
    }
    long now = System.nanoTime();
    long since = now - lastCollectionNanos;
    if (since < minGapNanos) {
      return false;
    }
    long live = live();
    floor = Math.min(floor, live);
    long used = old.getUsage().getUsed();
    boolean grown = used - live > Math.max(minGrowth, live);
    boolean high = live - floor > minGrowth / 2 && since >= recheckNanos * backoff;
    if (!grown && !high) {
      return false;
    }
    Runtime rt = Runtime.getRuntime();
    long committedBefore = rt.totalMemory();
    long fullBefore = fullCollections();
    lastCollectionNanos = now;
    System.gc();
    if (fullCollections() == fullBefore) {
      // -XX:+DisableExplicitGC (or a collector that runs it concurrently): asking again would
      // only log the same line every gap.
      disabled = true;
      LOG.warn("the JVM did not run the full collection asked for; heap keeping is off",
          "old_used_mb", mb(used));
      return false;
    }
    collections++;
    long tookMicros = (System.nanoTime() - now) / 1_000;
    long after = live();
    floor = Math.min(floor, after);
    if (after - floor <= minGrowth / 2) {
      backoff = 1;
    } else if (!grown) {
      backoff = Math.min(MAX_BACKOFF, backoff * 2); // a recheck found it still high: wait longer
    }
    LOG.info("heap collected", "why", grown ? "grown" : "recheck", "old_used_mb_before", mb(used),
        "old_used_mb_after", mb(old.getUsage().getUsed()), "heap_committed_mb_before", mb(committedBefore),
        "heap_committed_mb_after", mb(rt.totalMemory()), "took_ms", tookMicros / 1000.0);
    return true;
  }

  private static double mb(long bytes) {
    return Math.round(bytes / 104857.6) / 10.0;
  }
}
