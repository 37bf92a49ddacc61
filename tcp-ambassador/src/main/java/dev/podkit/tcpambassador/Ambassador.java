package dev.podkit.tcpambassador;

import dev.podkit.runtime.HeapKeeper;
import dev.podkit.runtime.Log;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running ambassador: event loops, resolver, listeners, and the background work (DNS refresh,
 * TLS file reload, handing back the heap a burst of connections grew). Started from a validated
 * config; stopped by {@link #drain} (SIGTERM) or {@link #close}.
 */
final class Ambassador implements AutoCloseable {
  private static final Log LOG = Log.named("tcp-ambassador");
  /**
   * The heap a burst left behind, handed back (runtime's HeapKeeper): 5,000 clients held in their
   * TLS handshake until its timeout leave ~20 MB of garbage in the old generation, which Serial
   * GC would keep until the heap reached its maximum. Checked every 5 s; a full collection at
   * most every 10 s; a high live amount looked at again after 30 s, then less often.
   */
  private static final long HEAP_MIN_GROWTH = 16L << 20;
  private static final Duration HEAP_CHECK = Duration.ofSeconds(5);
  private static final Duration HEAP_MIN_GAP = Duration.ofSeconds(10);
  private static final Duration HEAP_RECHECK = Duration.ofSeconds(30);

  private final AmbassadorConfig config;
  private final EventLoops loops;
  private final UpstreamResolver resolver;
  private final Proxy proxy;
  private ScheduledExecutorService reloader;
  private HealthChecks health;

  private Ambassador(AmbassadorConfig config, EventLoops loops, UpstreamResolver resolver, Proxy proxy) {
    this.config = config;
    this.loops = loops;
    this.resolver = resolver;
    this.proxy = proxy;
  }

  /** Binds every route and starts the background work; throws when a listener cannot be bound. */
  static Ambassador start(AmbassadorConfig config, TlsContexts tls, ProxyEvents events)
      throws IOException {
    EventLoops loops = EventLoops.create(config.transport(), config.eventLoops());
    UpstreamResolver resolver = new UpstreamResolver(config.dns(), loops.datagramChannel(), loops.socketChannel(), events);
    Proxy proxy = new Proxy(config, loops, resolver, tls, events);
    try {
      proxy.start();
    } catch (IOException | RuntimeException e) {
      resolver.close();
      loops.close();
      throw e;
    }
    Ambassador a = new Ambassador(config, loops, resolver, proxy);
    a.background(tls, events);
    return a;
  }

  private void background(TlsContexts tls, ProxyEvents events) {
    HeapKeeper.ofOldGeneration(HEAP_MIN_GROWTH, HEAP_MIN_GAP.toNanos(), HEAP_RECHECK.toNanos()).ifPresent(keeper ->
        loops.workers().next().scheduleWithFixedDelay(keeper::check, HEAP_CHECK.toNanos(), HEAP_CHECK.toNanos(),
            TimeUnit.NANOSECONDS));
    Duration refresh = config.dns().refresh();
    if (refresh.isPositive()) {
      var loop = loops.workers().next();
      loop.scheduleWithFixedDelay(() -> resolver.refresh(config.routes(), loop), 0, refresh.toNanos(),
          TimeUnit.NANOSECONDS);
    }
    if (config.healthCheck().enabled()) {
      health = new HealthChecks(config.healthCheck(), loops, resolver, proxy.balancers(), events);
      health.start();
    }
    Duration reload = config.tlsReload();
    if (!tls.isEmpty() && reload.isPositive()) {
      // Off the event loops: reading and parsing the files must not delay any byte.
      reloader = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("tls-reload").factory());
      reloader.scheduleWithFixedDelay(() -> tls.forEach((route, side) -> {
        try {
          if (side.getValue().reloadIfChanged()) {
            events.tlsReloaded(route, side.getKey());
          }
        } catch (TlsFiles.Bad | RuntimeException e) {
          events.tlsReloadFailed(route, side.getKey(), String.valueOf(e.getMessage()));
        }
      }), reload.toNanos(), reload.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  List<InetSocketAddress> boundAddresses() { return proxy.boundAddresses(); }
  int openConnections() { return proxy.openConnections(); }
  boolean full() { return proxy.full(); }
  boolean epoll() { return loops.epoll(); }
  Map<Route, Balancer> balancers() { return proxy.balancers(); }

  /**
   * The stop after SIGTERM, within {@code deadline}:
   *
   * <ol>
   *   <li>keep accepting for --drain-delay (a classic sidecar's app may still open connections);
   *   <li>close the listeners: new connections are refused;
   *   <li>wait for the open connections to finish, until shortly before the deadline;
   *   <li>close what is still open (logged as drain_timeout), and stop the loops.
   * </ol>
   */
  void drain(Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    long margin = Math.min(Duration.ofSeconds(1).toNanos(), deadline.toNanos() / 4);
    if (config.drainDelay().isPositive()) { // (1)
      LOG.info("still accepting before the drain", "drain_delay", config.drainDelay());
      Thread.sleep(config.drainDelay());
    }
    proxy.stopAccepting(); // (2)
    LOG.info("listeners closed; draining", "open_connections", proxy.openConnections());
    long wait = end - margin - System.nanoTime();
    if (!proxy.awaitIdle(Duration.ofNanos(Math.max(0, wait)))) { // (3)
      LOG.warn("drain time is up; closing the connections still open", "open_connections", proxy.openConnections());
      proxy.closeAll(End.DRAIN_TIMEOUT); // (4)
      proxy.awaitIdle(Duration.ofNanos(margin / 2));
    }
    close();
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
    if (health != null) {
      health.close();
    }
    proxy.stopAccepting();
    proxy.closeAll(End.DRAIN_TIMEOUT);
    resolver.close();
    loops.shutdown(Duration.ofMillis(500));
  }
}
