package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.podkit.testfixtures.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An ambassador started in the test JVM on a free loopback port, with recorded events. */
final class Harness implements AutoCloseable {
  final RecordingEvents events = new RecordingEvents();
  final Ambassador ambassador;
  final AmbassadorConfig config;
  final TlsContexts tls;

  private Harness(AmbassadorConfig config) throws IOException {
    this.config = config;
    List<String> problems = new ArrayList<>();
    this.tls = TlsContexts.load(config.routes(), config.tlsProvider(), config.tlsHandshakeTimeout(), problems);
    assertEquals(List.of(), problems);
    this.ambassador = Ambassador.start(config, tls, events);
  }

  /** As a {@code --transport} value: epoll with --no-splice (the direct relay copying every byte). */
  static final String EPOLL_COPY = "epoll-copy";

  /** Starts with {@code args} after {@code --listen 127.0.0.1:<a free port> --admin-address off}. */
  static Harness start(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--listen", "127.0.0.1:" + Ports.free(), "--admin-address", "off"));
    for (String arg : args) {
      if (arg.equals(EPOLL_COPY)) { // a test variant: epoll, bulk bytes copied rather than spliced
        all.addAll(List.of("epoll", "--no-splice"));
      } else {
        all.add(arg);
      }
    }
    return startExactly(all.toArray(String[]::new));
  }

  /** Starts with exactly {@code args}. */
  static Harness startExactly(String... args) throws IOException {
    List<String> problems = new ArrayList<>();
    AmbassadorConfig c = AmbassadorConfig.from(AmbassadorConfig.options("test").parse(args, Map.of()), problems);
    assertEquals(List.of(), problems);
    return new Harness(c);
  }

  InetSocketAddress address() {
    return ambassador.boundAddresses().getFirst();
  }

  /** A client connection to the first route. */
  Socket connect() {
    try {
      Socket s = new Socket();
      s.connect(address(), 5000);
      s.setSoTimeout(10_000);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    ambassador.close();
  }
}
