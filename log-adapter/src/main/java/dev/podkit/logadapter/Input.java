package dev.podkit.logadapter;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Where lines come from: a followed file or stdin. {@link #run} feeds lines to the adapter on the
 * calling thread until the input ends (stdin's end) or {@code stop} turns true, then hands the
 * adapter everything still held, so a stop loses nothing that was read.
 */
interface Input {
  /** Reads until the end of the input or until {@code stop} says so, and drains. */
  void run(Adapter adapter, BooleanSupplier stop) throws IOException;
}
