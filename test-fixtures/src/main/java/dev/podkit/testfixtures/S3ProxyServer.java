package dev.podkit.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3-compatible server on loopback: s3proxy (its self-contained jar, whose path the build
 * passes as {@code podkit.s3proxy.jar}) in a child JVM, over an in-memory store, checking AWS
 * signatures (V2 or V4) against one key pair. Buckets and objects are written with curl's own
 * SigV4 ({@code --aws-sigv4}), a client independent of the code under test.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "podkit-test-access";
  public static final String SECRET_KEY = "podkit-test-secret/With+Chars";
  public static final String REGION = "us-east-1";

  private final ServerProcess process;
  private final int port;
  private final Path dir;

  private S3ProxyServer(ServerProcess process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts s3proxy with its files (config, log) in {@code dir}. */
  public static S3ProxyServer start(Path dir) {
    String jar = System.getProperty("podkit.s3proxy.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("no s3proxy jar at podkit.s3proxy.jar=" + jar + " (the build copies it)");
    }
    int port = Ports.free();
    try {
      Files.createDirectories(dir);
      Path conf = dir.resolve("s3proxy.conf");
      Files.writeString(conf, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=transient",
          "jclouds.identity=unused",
          "jclouds.credential=unused", ""));
      String java = ProcessHandle.current().info().command().orElse("java");
      ServerProcess p = ServerProcess.start(List.of(java, "-Xmx256m", "-jar", jar, "--properties", conf.toString()),
          dir.resolve("s3proxy.log"), "TERM");
      S3ProxyServer s = new S3ProxyServer(p, port, dir);
      p.await("s3proxy", Duration.ofSeconds(60), () -> canConnect(port));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public void createBucket(String bucket) {
    curl("PUT", "/" + bucket, null);
  }

  /** Writes {@code body} as the object {@code bucket/key}. */
  public void put(String bucket, String key, byte[] body) {
    curl("PUT", "/" + bucket + "/" + key, body);
  }

  public void delete(String bucket, String key) {
    curl("DELETE", "/" + bucket + "/" + key, null);
  }

  private void curl(String method, String path, byte[] body) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "20",
        "--aws-sigv4", "aws:amz:" + REGION + ":s3", "--user", ACCESS_KEY + ":" + SECRET_KEY, "-X", method));
    try {
      // curl 7.88 signs but does not send the payload hash that S3 wants: it is added here.
      cmd.addAll(List.of("-H", "x-amz-content-sha256: " + sha256(body == null ? new byte[0] : body)));
      if (body != null) {
        Path f = Files.createTempFile(dir, "body", ".bin");
        Files.write(f, body);
        cmd.addAll(List.of("-H", "Content-Type: application/octet-stream", "--data-binary", "@" + f));
      }
      cmd.add(endpoint() + path);
      ServerProcess.runOrFail(cmd, Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean canConnect(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.stop(Duration.ofSeconds(10));
  }
}
