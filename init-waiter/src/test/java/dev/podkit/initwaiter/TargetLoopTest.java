package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Backoff;
import dev.podkit.testfixtures.FakeTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetLoopTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> events = new ArrayList<>();
  private final WaiterEvents recorder = new WaiterEvents() {
    @Override
    public void changed(Target t, ProbeResult r, int attempts, long since) {
      events.add(attempts + ":" + r.ready() + ":" + r.reason());
    }
  };

  /** A probe that answers from a script and takes 100 ms of fake time per attempt. */
  private Probe scripted(ProbeResult... results) {
    Deque<ProbeResult> q = new ArrayDeque<>(List.of(results));
    return timeout -> {
      ticker.advance(Duration.ofMillis(100));
      return q.size() > 1 ? q.poll() : q.peek();
    };
  }

  private WaitPolicy policy(boolean invert) {
    return new WaitPolicy(Duration.ofMinutes(1), Duration.ofSeconds(1),
        new Backoff(Duration.ofMillis(250), 2, Duration.ofSeconds(1)), false, invert);
  }

  @Test
  void run_failsThenReady_backsOffStartToStart_andReportsOnlyChanges() {
    int[] readyCalls = {0};
    Probe p = scripted(ProbeResult.notReady("connection refused"), ProbeResult.notReady("connection refused"),
        ProbeResult.notReady("status 503"), ProbeResult.notReady("status 503"), ProbeResult.notReady("status 503"),
        ProbeResult.ready("status 200"));
    TargetLoop loop = new TargetLoop(new Target("t", p), policy(false), recorder, ticker, ticker.nanoTime(),
        () -> readyCalls[0]++);
    loop.run();
    // Pauses: 250, 500, 1000, 1000, 1000 ms, each less the 100 ms the attempt took.
    assertEquals(List.of(Duration.ofMillis(150), Duration.ofMillis(400), Duration.ofMillis(900),
        Duration.ofMillis(900), Duration.ofMillis(900)), ticker.sleeps());
    assertEquals(List.of("1:false:connection refused", "3:false:status 503", "6:true:status 200"), events);
    assertEquals(1, readyCalls[0]);
    assertEquals(6, loop.state().attempts());
  }

  @Test
  void run_inverted_isReadyWhenTheTargetStopsAnswering() {
    Probe p = scripted(ProbeResult.ready("connected"), ProbeResult.notReady("connection refused"));
    TargetLoop loop = new TargetLoop(new Target("t", p), policy(true), recorder, ticker, ticker.nanoTime(), () -> {});
    loop.run();
    assertEquals(List.of("1:false:still reachable: connected", "2:true:not reachable: connection refused"), events);
  }

  @Test
  void run_probeThrows_becomesAReasonAndTheLoopGoesOn() {
    Deque<Boolean> throwFirst = new ArrayDeque<>(List.of(true));
    Probe p = timeout -> {
      if (!throwFirst.isEmpty() && throwFirst.poll()) throw new IllegalStateException("bug");
      return ProbeResult.ready("fine");
    };
    TargetLoop loop = new TargetLoop(new Target("t", p), policy(false), recorder, ticker, ticker.nanoTime(), () -> {});
    loop.run();
    assertTrue(events.getFirst().startsWith("1:false:probe failed: java.lang.IllegalStateException: bug"), events.toString());
    assertEquals("2:true:fine", events.get(1));
  }
}
