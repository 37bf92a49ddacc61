package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminServerIT {
  record Response(int status, String type, String body) {}

  private static Response get(AdminServer s, String path) throws IOException {
    var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + s.address().getPort() + path).toURL().openConnection();
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      return new Response(status, c.getContentType(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void probes_followHealthState_with503AndTheReason() throws IOException {
    Health health = new Health();
    try (AdminServer s = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), health, () -> null)) {
      assertEquals(new Response(200, "text/plain; charset=utf-8", "ok\n"), get(s, "/livez"));
      assertEquals(new Response(503, "text/plain; charset=utf-8", "starting\n"), get(s, "/readyz"));
      assertEquals(503, get(s, "/startupz").status());
      health.started();
      health.ready();
      assertEquals(200, get(s, "/readyz").status());
      assertEquals(200, get(s, "/startupz").status());
      health.notReady("sink down");
      assertEquals(new Response(503, "text/plain; charset=utf-8", "sink down\n"), get(s, "/readyz"));
      assertEquals(503, get(s, "/metrics").status());
      assertEquals(404, get(s, "/nope").status());
    }
  }

  @Test
  void metrics_prometheusText_withImageTagAndJvmMeters() throws IOException {
    PrometheusMeterRegistry registry = Metrics.prometheus("test-image");
    Counter.builder("podkit_test_events").register(registry).increment(3);
    try (AdminServer s = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Health(),
        () -> registry)) {
      Response r = get(s, "/metrics");
      assertEquals(200, r.status());
      assertTrue(r.type().startsWith("text/plain; version=0.0.4"), r.type());
      assertTrue(r.body().contains("podkit_test_events_total{image=\"test-image\"} 3.0"), r.body());
      assertTrue(r.body().contains("jvm_memory_used_bytes{"), "JVM meters");
      assertTrue(r.body().contains("process_cpu_usage{image=\"test-image\"}"), "process meters");
    }
  }
}
