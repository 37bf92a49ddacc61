package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that records every request body it accepts, for sinks that
 * POST batches. A test sets the status it answers (503 to play a down endpoint): refused requests
 * are counted, and their bodies kept apart ({@link #refusedBodies}).
 */
public final class RecordingHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new ArrayList<>();
  private final List<String> contentTypes = new ArrayList<>();
  private final List<String> refusedBodies = new ArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile int status = 200;

  public RecordingHttpServer() {
    server = LoopbackHttp.start(0, x -> {
      byte[] body = x.getRequestBody().readAllBytes();
      int s = status;
      if (s < 300) {
        synchronized (bodies) {
          bodies.add(new String(body, StandardCharsets.UTF_8));
          contentTypes.add(x.getRequestHeaders().getFirst("Content-Type"));
        }
      } else {
        synchronized (bodies) {
          refusedBodies.add(new String(body, StandardCharsets.UTF_8));
        }
        refused.incrementAndGet();
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
