package dev.podkit.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The admin endpoint every helper serves on its own port: {@code /livez}, {@code /readyz},
 * {@code /startupz} (200 or 503 with the reason) and {@code /metrics} (Prometheus text format).
 * One daemon thread; it never keeps the process alive.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code address}. {@code registry} is asked on each scrape, so a helper may
   * create its registry after it started its real work.
   */
  public static AdminServer start(InetSocketAddress address, Health health,
      Supplier<PrometheusMeterRegistry> registry) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "admin-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/livez", x -> probe(x, health.livezProblem()));
    server.createContext("/readyz", x -> probe(x, health.readyzProblem()));
    server.createContext("/startupz", x -> probe(x, health.startupzProblem()));
    server.createContext("/metrics", x -> {
      PrometheusMeterRegistry r = registry.get();
      if (r == null) {
        respond(x, 503, "text/plain; charset=utf-8", "metrics not ready\n");
      } else {
        respond(x, 200, "text/plain; version=0.0.4; charset=utf-8", r.scrape());
      }
    });
    server.createContext("/", x -> respond(x, 404, "text/plain; charset=utf-8",
        "not found; try /livez /readyz /startupz /metrics\n"));
    server.start();
    return new AdminServer(server);
  }

  /** The bound address (its port is the real one when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void probe(HttpExchange x, String problem) throws IOException {
    if (problem == null) {
      respond(x, 200, "text/plain; charset=utf-8", "ok\n");
    } else {
      respond(x, 503, "text/plain; charset=utf-8", problem + "\n");
    }
  }

  private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
    try (x) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", type);
      boolean head = x.getRequestMethod().equals("HEAD");
      x.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = x.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
