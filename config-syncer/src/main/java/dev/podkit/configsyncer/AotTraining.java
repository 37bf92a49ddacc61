package dev.podkit.configsyncer;

import com.sun.net.httpserver.HttpServer;
import dev.podkit.runtime.AotTrainingSupport;
import dev.podkit.runtime.Trees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The AOT cache's training run (the build starts the jar with {@code -Dpodkit.aot.train=true}):
 * runs config-syncer for real with {@code --once} against a loopback HTTP server serving a
 * tar.gz and a webhook, with syntax checks on, and once against a local folder, so the classes of
 * the common path (options, HTTP, gzip, tar, staging, checks, publish, notify, logging, the admin
 * endpoint) are loaded and linked into the cache. Not a user-facing mode.
 */
final class AotTraining {
  private AotTraining() {}

  static void run() throws IOException {
    byte[] archive = tarGz("app.json", "{\"a\":1}", "app.yaml", "a: 1\n");
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    http.createContext("/", x -> {
      byte[] body = x.getRequestURI().getPath().endsWith(".tar.gz") ? archive : "ok\n".getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("ETag", "\"v1\"");
      x.sendResponseHeaders(200, body.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(body);
      }
    });
    http.start();
    Path work = Files.createTempDirectory("podkit-aot");
    try {
      AotTrainingSupport.exerciseAdmin(() -> null, "/readyz", "/livez", "/startupz");
      PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
      String base = "http://127.0.0.1:" + http.getAddress().getPort();
      ConfigSyncerMain.run(new String[] {"--bogus"}, Map.of(), sink, sink, false);
      ConfigSyncerMain.run(new String[] {"--help"}, Map.of(), sink, sink, false);
      int code = ConfigSyncerMain.run(new String[] {"--once", "--source", base + "/site.tar.gz", "--target",
          work.resolve("out").toString(), "--check", "all", "--webhook-url", base + "/reload", "--notify-first-sync",
          "--touch-file", work.resolve("touched").toString(), "--admin-address", "off", "--timeout", "10s"},
          Map.of(), sink, sink, false);
      Files.createDirectories(work.resolve("in"));
      Files.writeString(work.resolve("in/x.properties"), "a=1\n");
      ConfigSyncerMain.run(new String[] {"--once", "--source", "dir://" + work.resolve("in"), "--target",
          work.resolve("out2").toString(), "--admin-address", "off", "--timeout", "5s"}, Map.of(), sink, sink, false);
      System.out.println("aot training run exit code " + code);
    } finally {
      http.stop(0);
      Trees.delete(work);
    }
  }

  private static byte[] tarGz(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        gz.write(TarHeader.file(namesAndContents[i], content.length));
        gz.write(content);
        gz.write(new byte[(512 - content.length % 512) % 512]);
      }
      gz.write(new byte[1024]);
    }
    return bytes.toByteArray();
  }
}
