package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.HttpTestServer;
import dev.podkit.testfixtures.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The waiter with real threads, time and servers on loopback. */
class WaiterIT {
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final WaiterEvents recorder = new WaiterEvents() {
    @Override
    public void attempted(Target t, ProbeResult r, long nanos) {
      attempts.incrementAndGet();
    }

    @Override
    public void changed(Target t, ProbeResult r, int n, long since) {
      changes.add(t.name() + " " + r.ready() + " " + r.reason());
    }
  };

  private static WaitPolicy policy(Duration timeout, boolean any) {
    return new WaitPolicy(timeout, Duration.ofMillis(500),
        new Backoff(Duration.ofMillis(20), 2, Duration.ofMillis(100)), any, false);
  }

  private static Target tcp(int port) {
    return new Target("tcp://127.0.0.1:" + port, new TcpProbe("127.0.0.1", port));
  }

  @Test
  void await_allTargets_returnsWhenTheLastOneOpens() throws Exception {
    int late = Ports.free();
    try (ServerSocket early = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         HttpTestServer http = HttpTestServer.http(0).status(503)) {
      Target h = new Target("http", new HttpProbe(java.net.URI.create("http://127.0.0.1:" + http.port() + "/"),
          new HttpExpectations(StatusRange.parse("200"), null, null, List.of(), null, false), null));
      Waiter w = new Waiter(List.of(tcp(early.getLocalPort()), tcp(late), h), policy(Duration.ofSeconds(20), false),
          recorder, Ticker.system());
      w.start();
      Await.until(Duration.ofSeconds(10), "both not-ready states seen",
          () -> changes.contains("tcp://127.0.0.1:" + late + " false connection refused")
              && changes.contains("http false status 503, want 200"));
      http.status(200);
      try (ServerSocket opened = new ServerSocket(late, 50, InetAddress.getLoopbackAddress())) {
        Outcome o = w.await();
        assertTrue(o.ready());
        assertTrue(o.targets().stream().allMatch(Outcome.TargetState::ready));
        assertTrue(o.elapsed().compareTo(Duration.ofSeconds(10)) < 0, o.elapsed().toString());
      }
    }
  }

  @Test
  void await_any_returnsOnTheFirstReadyTarget() throws Exception {
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Waiter w = new Waiter(List.of(tcp(Ports.free()), tcp(open.getLocalPort())), policy(Duration.ofSeconds(20), true),
          recorder, Ticker.system());
      w.start();
      Outcome o = w.await();
      assertTrue(o.ready());
      assertFalse(o.targets().get(0).ready());
      assertTrue(o.targets().get(1).ready());
    }
  }

  @Test
  void await_timeout_reportsEachTargetsLastReason() throws Exception {
    int closed = Ports.free();
    Waiter w = new Waiter(List.of(tcp(closed)), policy(Duration.ofMillis(400), false), recorder, Ticker.system());
    w.start();
    Outcome o = w.await();
    assertFalse(o.ready());
    assertEquals("connection refused", o.targets().getFirst().last().reason());
    assertTrue(o.targets().getFirst().attempts() >= 3, "attempts " + o.targets().getFirst().attempts());
    assertTrue(o.elapsed().compareTo(Duration.ofMillis(400)) >= 0 && o.elapsed().compareTo(Duration.ofSeconds(3)) < 0,
        o.elapsed().toString());
    // Only the first state is logged as a change, not every refused attempt.
    assertEquals(List.of("tcp://127.0.0.1:" + closed + " false connection refused"), changes);
  }

  @Test
  void await_inverted_returnsOnceThePortCloses() throws Exception {
    ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = open.getLocalPort();
    WaitPolicy inverted = new WaitPolicy(Duration.ofSeconds(20), Duration.ofMillis(500),
        new Backoff(Duration.ofMillis(20), 2, Duration.ofMillis(100)), false, true);
    Waiter w = new Waiter(List.of(tcp(port)), inverted, recorder, Ticker.system());
    w.start();
    Await.until(Duration.ofSeconds(10), "still reachable seen",
        () -> changes.stream().anyMatch(c -> c.contains("false still reachable: connected")));
    open.close();
    Outcome o = w.await();
    assertTrue(o.ready());
    assertEquals("not reachable: connection refused", o.targets().getFirst().last().reason());
  }

  @Test
  void await_stops_theProbeThreadsAfterwards() throws Exception {
    Waiter w = new Waiter(List.of(tcp(Ports.free())), policy(Duration.ofMillis(200), false), recorder, Ticker.system());
    w.start();
    w.await();
    int after = attempts.get();
    // No further attempt may start once await returned (at most one already in flight ends).
    Await.until(Duration.ofSeconds(2), "probe thread gone",
        () -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("probe-") && t.isAlive()));
    assertTrue(attempts.get() <= after + 1, after + " then " + attempts.get());
  }
}
