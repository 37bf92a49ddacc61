package dev.podkit.initwaiter;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts attempts per target and outcome and whether each target is ready, in plain counters
 * that exist from the first attempt; {@link #bindTo} exports them once the registry is made
 * (after the probes started, so metrics never delay the first attempt).
 */
final class WaiterMetrics implements WaiterEvents, MeterBinder {
  // Keyed by "ready|target" strings: a record key's equals and hashCode are bootstrapped at run
  // time, on the probe thread's first attempt.
  private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> readyNow = new ConcurrentHashMap<>();

  WaiterMetrics(Iterable<Target> targets) {
    for (Target t : targets) {
      readyNow.put(t.name(), false);
      attempts.put(key(t.name(), true), new LongAdder());
      attempts.put(key(t.name(), false), new LongAdder());
    }
  }

  @Override
  public void attempted(Target target, ProbeResult result, long nanos) {
    attempts.get(key(target.name(), result.ready())).increment();
    if (result.ready()) {
      readyNow.put(target.name(), true);
    }
  }

  private static String key(String target, boolean ready) {
    return (ready ? "ready|" : "not_ready|") + target;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    attempts.forEach((k, n) -> FunctionCounter.builder("podkit_init_waiter_attempts", n, LongAdder::sum)
        .description("Attempts per target and result")
        .tag("target", k.substring(k.indexOf('|') + 1))
        .tag("result", k.startsWith("ready|") ? "ready" : "not_ready")
        .register(registry));
    readyNow.keySet().forEach(name -> Gauge.builder("podkit_init_waiter_target_ready", readyNow,
            m -> m.get(name) ? 1 : 0)
        .description("1 once the target was found ready")
        .tag("target", name)
        .register(registry));
  }
}
