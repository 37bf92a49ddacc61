package dev.podkit.runtime;

import java.time.Duration;

/**
 * A tiny helper for {@link ShutdownIT}: serves health, installs the SIGTERM sequence whose drain
 * takes {@code args[0]} ms, with a deadline of {@code args[1]} ms, prints "running" and waits.
 */
public final class ShutdownDemo {
  public static void main(String[] args) throws Exception {
    Duration drainTakes = Duration.ofMillis(Long.parseLong(args[0]));
    Health health = new Health();
    health.ready();
    Shutdown.install(health, Duration.ofMillis(Long.parseLong(args[1])), deadline -> {
      Log.named("demo").info("draining", "readyz", String.valueOf(health.readyzProblem()));
      Thread.sleep(drainTakes); // the drain's work, which takes this long (not a test wait)
      Log.named("demo").info("flushed");
    });
    Log.named("demo").info("running");
    new java.util.concurrent.CountDownLatch(1).await(); // until the signal's exit
  }
}
