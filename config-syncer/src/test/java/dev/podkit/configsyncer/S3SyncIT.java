package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncs from a real S3-compatible server (s3proxy, signatures checked) on loopback. */
class S3SyncIT {
  private static final Limits LIMITS = new Limits(1 << 20, 1000);
  private static S3ProxyServer s3;
  private static int buckets;

  @TempDir Path target;

  @BeforeAll
  static void start(@TempDir Path dir) {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    s3.close();
  }

  private static String newBucket() {
    String b = "bucket-" + ++buckets;
    s3.createBucket(b);
    return b;
  }

  private Syncer syncer(String bucket, String key, Map<String, String> env) throws IOException {
    S3Source source = new S3Source(new S3Source.Location(URI.create(s3.endpoint()), true, S3ProxyServer.REGION, bucket, key),
        new S3Source.Keys(null, null, env), Unpacker.Format.AUTO, key.isEmpty() ? "index.html"
            : key.substring(key.lastIndexOf('/') + 1), null, new Connector(null, Duration.ofSeconds(10)));
    return new Syncer(source, new Publisher(target), target, LIMITS, new SyntaxCheck(Set.of()), new RecordingSyncEvents(),
        Ticker.system());
  }

  private static Map<String, String> keys() {
    return Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void object_archive_publishedThenConditionalUnchanged_thenNewVersion() throws Exception {
    String b = newBucket();
    s3.put(b, "releases/site.tar.gz", new Archives().file("index.html", "v1").tarGz());
    Syncer s = syncer(b, "releases/site.tar.gz", keys());

    Syncer.Outcome first = s.sync(new Cancellation());
    Syncer.Outcome again = s.sync(new Cancellation());
    s3.put(b, "releases/site.tar.gz", new Archives().file("index.html", "v2").tarGz());
    Syncer.Outcome changed = s.sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, first.result(), first.message());
    assertEquals(Syncer.Result.UNCHANGED, again.result(), again.message());
    assertEquals(Syncer.Result.PUBLISHED, changed.result(), changed.message());
    assertEquals("v2", Files.readString(target.resolve("index.html")));
  }

  @Test
  void prefix_everyObjectUnderItPublished_listingUnchangedMeansNoDownload() throws Exception {
    String b = newBucket();
    s3.put(b, "cfg/app.yaml", bytes("a: 1\n"));
    s3.put(b, "cfg/conf.d/x.conf", bytes("x"));
    s3.put(b, "other/ignored.txt", bytes("no"));
    Syncer s = syncer(b, "cfg/", keys());

    Syncer.Outcome first = s.sync(new Cancellation());
    Syncer.Outcome again = s.sync(new Cancellation());
    s3.delete(b, "cfg/conf.d/x.conf");
    s3.put(b, "cfg/app.yaml", bytes("a: 2\n"));
    Syncer.Outcome changed = s.sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, first.result(), first.message());
    assertEquals(Syncer.Result.UNCHANGED, again.result());
    assertEquals(Syncer.Result.PUBLISHED, changed.result(), changed.message());
    assertEquals("a: 2\n", Files.readString(target.resolve("app.yaml")));
    assertFalse(Files.exists(target.resolve("conf.d")));
    assertFalse(Files.exists(target.resolve("ignored.txt")));
  }

  @Test
  void wrongSecret_refusedByTheServer_asStatusWithTheS3Code() throws Exception {
    String b = newBucket();
    s3.put(b, "a.json", bytes("{}"));

    Syncer.Outcome o = syncer(b, "", Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", "wrong"))
        .sync(new Cancellation());

    assertEquals(SyncFailure.Reason.STATUS, o.reason(), o.message());
    assertTrue(o.message().contains("403"), o.message());
  }

  @Test
  void keysWithSpacesAndUnicode_signedAndFetched() throws Exception {
    String b = newBucket();
    s3.put(b, "site/caf%C3%A9%20menu.html", bytes("menu"));

    Syncer.Outcome o = syncer(b, "site/", keys()).sync(new Cancellation());

    assertEquals(Syncer.Result.PUBLISHED, o.result(), o.message());
    assertEquals("menu", Files.readString(target.resolve("café menu.html")));
  }
}
