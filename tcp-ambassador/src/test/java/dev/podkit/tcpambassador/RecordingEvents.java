package dev.podkit.tcpambassador;

import dev.podkit.testfixtures.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records what the proxy reports, for tests to assert on the events and wait for them. */
final class RecordingEvents implements ProxyEvents {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<ConnectionSummary> closed = new CopyOnWriteArrayList<>();
  /** Completed by the first paused read, on the relay's thread as it happens (no polling delay). */
  final CompletableFuture<Side> firstPause = new CompletableFuture<>();

  @Override public void accepted(Route r) { events.add("accepted " + r.name()); }
  @Override public void overflowed(Route r) { events.add("overflow " + r.name()); }
  @Override public void upstreamConnected(Route r, InetSocketAddress a, long n) { events.add("connected " + ProxyLog.text(a)); }
  @Override public void upstreamConnectFailed(Route r, InetSocketAddress a, Throwable c, boolean t) {
    events.add("connect failed " + ProxyLog.text(a) + (t ? " timeout" : ""));
  }
  @Override public void upstreamGaveUp(Route r, int n) { events.add("gave up after " + n); }
  @Override public void addressEjected(Route r, InetSocketAddress a, int n) { events.add("ejected " + ProxyLog.text(a)); }
  @Override public void readingPaused(Route r, Side s) {
    events.add("paused " + s.label());
    firstPause.complete(s);
  }
  @Override public void readingResumed(Route r, Side s) { events.add("resumed " + s.label()); }
  @Override public void closed(ConnectionSummary s) { closed.add(s); events.add("closed " + s.end().label()); }
  @Override public void nameChanged(String h, List<InetAddress> a) {
    events.add("dns " + h + " " + a.stream().map(InetAddress::getHostAddress).toList());
  }
  @Override public void tlsFailed(Route r, Side s, Throwable c) {
    Throwable root = c;
    while (root.getCause() != null) root = root.getCause();
    events.add("tls failed " + s.label() + " " + c + " / " + root.getMessage());
  }
  @Override public void tlsReloaded(Route r, String side) { events.add("tls reloaded " + side); }
  @Override public void tlsReloadFailed(Route r, String side, String p) { events.add("tls reload failed " + side + " " + p); }
  @Override public void healthChanged(Route r, InetSocketAddress a, boolean up) {
    events.add((up ? "up " : "down ") + ProxyLog.text(a));
  }
  @Override public void nameFailed(String h, Throwable c) { events.add("dns failed " + h); }

  long count(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).count();
  }

  List<String> matching(String prefix) {
    return new ArrayList<>(events.stream().filter(e -> e.startsWith(prefix)).toList());
  }

  /** Waits for the n-th finished connection (from 1) and returns its summary. */
  ConnectionSummary awaitClosed(int n) {
    Await.until(Duration.ofSeconds(10), n + " closed connection(s); events " + events, () -> closed.size() >= n);
    return closed.get(n - 1);
  }

  /** Waits until some finished connection matches. */
  ConnectionSummary awaitClosed(Predicate<ConnectionSummary> p) {
    Await.until(Duration.ofSeconds(10), "a matching closed connection; events " + events,
        () -> closed.stream().anyMatch(p));
    return closed.stream().filter(p).findFirst().orElseThrow();
  }

  void awaitEvent(String prefix) {
    Await.until(Duration.ofSeconds(10), "event '" + prefix + "'; events " + events, () -> count(prefix) > 0);
  }
}
