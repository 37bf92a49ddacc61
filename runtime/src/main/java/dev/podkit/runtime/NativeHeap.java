package dev.podkit.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The C heap of the process (glibc's malloc), for a helper that sits idle most of its life.
 *
 * <p>The JIT compilers take tens of megabytes of C heap while they compile a hot path (C2's
 * arenas peak at about 45 MB in tcp-ambassador's warm-up) and free them seconds later. glibc
 * serves a large request with its own mapping, returned to the kernel when freed, but each such
 * free raises the size above which it does so (up to 32 MB), so later compilations' chunks land
 * in the arenas, where a few long-lived allocations among them keep their pages resident even
 * through the JVM's periodic malloc_trim. Fixing the threshold keeps large requests in their own
 * mappings: about 5 MB less resident after a load, measured (bench/tcp-ambassador/tuning.md).
 */
public final class NativeHeap {
  /** glibc's mallopt parameter for the size served by a mapping of its own. */
  private static final int M_MMAP_THRESHOLD = -3;

  private NativeHeap() {}

  /**
   * Makes every C heap request of {@code bytes} or more get a mapping of its own, whatever was
   * freed before; returns whether it could (false on a libc without glibc's {@code mallopt}, or
   * without native access). Needs {@code --enable-native-access} for this code's module.
   */
  public static boolean fixMmapThreshold(int bytes) {
    try {
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> mallopt = linker.defaultLookup().find("mallopt");
      if (mallopt.isEmpty()) {
        return false;
      }
      MethodHandle call = linker.downcallHandle(mallopt.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
      return (int) call.invokeExact(M_MMAP_THRESHOLD, bytes) == 1;
    } catch (Throwable e) { // IllegalCallerException without native access, UnsatisfiedLinkError, ...
      return false;
    }
  }
}
