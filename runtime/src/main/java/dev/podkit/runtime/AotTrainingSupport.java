package dev.podkit.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Supplier;

/**
 * What every helper's AOT training run does besides its own work: start the admin endpoint on
 * loopback and ask it for {@code paths}, so the endpoint's classes (and, when a registry is
 * given, the metrics') are loaded and linked into the cache. For training runs only.
 */
public final class AotTrainingSupport {
  private AotTrainingSupport() {}

  /** Serves {@code registry} (which may answer null) on a loopback port and requests each path once. */
  public static void exerciseAdmin(Supplier<PrometheusMeterRegistry> registry, String... paths) throws IOException {
    try (AdminServer admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Health(),
        registry)) {
      for (String path : paths) {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin.address().getPort() + path)
            .toURL().openConnection();
        try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
          in.readAllBytes();
        }
      }
    }
  }
}
