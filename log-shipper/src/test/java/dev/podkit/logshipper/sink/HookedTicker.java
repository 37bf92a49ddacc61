package dev.podkit.logshipper.sink;

import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.FakeTicker;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A {@link FakeTicker} that also runs a hook after each sleep with the sleep's number (from 1):
 * a test changes the world between two attempts (a server comes back, the shipper is stopped)
 * at an exact point, without threads.
 */
final class HookedTicker implements Ticker {
  final FakeTicker fake = new FakeTicker();
  private final IntConsumer hook;
  private int sleeps;

  HookedTicker(IntConsumer hook) {
    this.hook = hook;
  }

  @Override
  public long nanoTime() {
    return fake.nanoTime();
  }

  @Override
  public void sleep(Duration d) {
    fake.sleep(d);
    hook.accept(++sleeps);
  }
}
