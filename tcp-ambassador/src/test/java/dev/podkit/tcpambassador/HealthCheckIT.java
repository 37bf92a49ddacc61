package dev.podkit.tcpambassador;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.TcpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Active TCP health checks against real upstreams that go down and come back. */
class HealthCheckIT {
  /** Says its name on a line, then closes. */
  private static TcpServer.Handler named(String name) {
    return s -> {
      s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    };
  }

  private static String nameThrough(Harness h) throws Exception {
    try (Socket s = h.connect()) {
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void endpointGoesDownAndComesBack_markedDownAfterFall_upAfterRise_noClientConnectFails() throws Exception {
    TcpServer b = TcpServer.start(named("B"));
    TcpServer a = TcpServer.start(named("A"));
    int aPort = a.port();
    try (b;
         Harness h = Harness.start("--upstream", "127.0.0.1:" + aPort + ",127.0.0.1:" + b.port(),
             "--health-check-interval", "50ms", "--health-check-timeout", "500ms", "--health-check-fall", "2",
             "--health-check-rise", "3", "--eject-after", "0")) {
      Balancer balancer = h.ambassador.balancers().values().iterator().next();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 4; i++) names.add(nameThrough(h));
      assertEquals(List.of("A", "B"), names.stream().distinct().sorted().toList(), "both serve while up");

      // (1) A goes away: after two failed checks it is down, and no client connection tries it first.
      a.close();
      h.events.awaitEvent("down 127.0.0.1:" + aPort);
      assertEquals(1, balancer.down());
      long failedBefore = h.events.count("connect failed");
      for (int i = 0; i < 6; i++) {
        assertEquals("B", nameThrough(h));
      }
      assertEquals(failedBefore, h.events.count("connect failed"), "clients never waited on the down address");

      // (2) A comes back on its port: after three good checks it is up and gets connections again.
      try (TcpServer back = TcpServer.start(InetAddress.getLoopbackAddress(), aPort, named("A"))) {
        h.events.awaitEvent("up 127.0.0.1:" + aPort);
        assertEquals(0, balancer.down());
        Await.until(Duration.ofSeconds(5), "a connection to A again", () -> {
          try {
            return nameThrough(h).equals("A");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        assertTrue(back.accepted() > 3, "the checks connected to it too: " + back.accepted());
      }
      assertEquals(List.of("down 127.0.0.1:" + aPort, "up 127.0.0.1:" + aPort),
          h.events.events.stream().filter(e -> e.startsWith("down ") || e.startsWith("up ")).toList());
    }
  }

  @Test
  void noHealthChecksByDefault() throws Exception {
    try (TcpServer a = TcpServer.start(named("A"));
         Harness h = Harness.start("--upstream", "127.0.0.1:" + a.port())) {
      assertEquals("A", nameThrough(h));
      assertEquals(1, a.accepted(), "only the client's connection");
      assertEquals(false, h.config.healthCheck().enabled());
    }
  }
}
