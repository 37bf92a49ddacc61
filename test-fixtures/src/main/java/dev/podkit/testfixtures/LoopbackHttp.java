package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Starts the JDK's HTTP server on 127.0.0.1 with one handler for every path: the fixtures' servers. */
final class LoopbackHttp {
  private LoopbackHttp() {}

  /** A started server on {@code port} (0 for any free one) answering every request with {@code handler}. */
  static HttpServer start(int port, HttpHandler handler) {
    return start(port, handler, null);
  }

  /** As {@link #start(int, HttpHandler)}, handling requests on {@code executor} (null: the server's own thread). */
  static HttpServer start(int port, HttpHandler handler, java.util.concurrent.Executor executor) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32);
      server.createContext("/", handler);
      server.setExecutor(executor);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's base URL, {@code http://127.0.0.1:<port>}. */
  static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
