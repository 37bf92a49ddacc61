package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that records every request body it accepts, for sinks that
 * POST batches. A test sets the status it answers (503 to play a down endpoint): refused requests
 * are counted, and their bodies and times kept apart ({@link #refusedBodies}), with a
 * Retry-After if the test sets one; the client connections requests came on are counted. It can
 * also be made slow ({@link #delay}) to play an endpoint that takes less than the sender offers.
 */
public final class RecordingHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new ArrayList<>();
  private final List<String> contentTypes = new ArrayList<>();
  private final List<String> refusedBodies = new ArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final List<Long> refusedAtNanos = new ArrayList<>();
  private final Set<Integer> clientPorts = new HashSet<>();
  private volatile int status = 200;
  private volatile String retryAfter;
  private volatile long delayNanos;

  public RecordingHttpServer() {
    server = LoopbackHttp.start(0, x -> {
      byte[] body = x.getRequestBody().readAllBytes();
      if (delayNanos > 0) {
        // A slow endpoint: requests are served one at a time, so this bounds the rate.
        java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
      }
      int s = status;
      synchronized (bodies) {
        clientPorts.add(x.getRemoteAddress().getPort());
      }
      if (s < 300) {
        synchronized (bodies) {
          bodies.add(new String(body, StandardCharsets.UTF_8));
          contentTypes.add(x.getRequestHeaders().getFirst("Content-Type"));
        }
      } else {
        synchronized (bodies) {
          refusedBodies.add(new String(body, StandardCharsets.UTF_8));
          refusedAtNanos.add(System.nanoTime());
        }
        refused.incrementAndGet();
        String after = retryAfter;
        if (after != null) {
          x.getResponseHeaders().add("Retry-After", after);
        }
      }
      x.sendResponseHeaders(s, -1);
      x.close();
    });
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The status answered from now on. */
  public void status(int s) {
    status = s;
  }

  /** The Retry-After header sent with refusals from now on; null for none. */
  public void retryAfter(String value) {
    retryAfter = value;
  }

  /** When each refused request came (System.nanoTime()), in order. */
  public List<Long> refusedAtNanos() {
    synchronized (bodies) {
      return new ArrayList<>(refusedAtNanos);
    }
  }

  /** How many client connections requests came on (distinct client ports). */
  public int connections() {
    synchronized (bodies) {
      return clientPorts.size();
    }
  }

  /** Each request is answered this long after its body was read, from now on. */
  public void delay(java.time.Duration d) {
    delayNanos = d.toNanos();
  }

  /** The accepted bodies, in arrival order. */
  public List<String> bodies() {
    synchronized (bodies) {
      return new ArrayList<>(bodies);
    }
  }

  /** The bodies of the refused requests, in arrival order. */
  public List<String> refusedBodies() {
    synchronized (bodies) {
      return new ArrayList<>(refusedBodies);
    }
  }

  /** The Content-Type of each accepted request. */
  public List<String> contentTypes() {
    synchronized (bodies) {
      return new ArrayList<>(contentTypes);
    }
  }

  /** Every line of every accepted body, in order. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (String b : bodies()) {
      b.lines().forEach(out::add);
    }
    return out;
  }

  public int refused() {
    return refused.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
