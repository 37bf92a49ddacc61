package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.runtime.Ticker;
import dev.podkit.testfixtures.Await;
import dev.podkit.testfixtures.ConditionalHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncs from a real HTTP origin on loopback into a real target folder: ETag flow, faults, checks. */
class HttpSyncIT {
  private static final Limits LIMITS = new Limits(1 << 20, 1000);

  @TempDir Path target;
  private final ConditionalHttpServer origin = new ConditionalHttpServer();
  private final RecordingSyncEvents events = new RecordingSyncEvents();

  @AfterEach
  void stop() {
    origin.close();
  }

  private Syncer syncer(String path, String sha256, Set<SyntaxCheck.Kind> checks) throws IOException {
    HttpSource source = new HttpSource(URI.create(origin.url(path)), Unpacker.Format.AUTO,
        HttpSource.defaultFileName(URI.create(origin.url(path))), sha256, List.of(), null, new Connector(null, Duration.ofSeconds(5)), null);
    return new Syncer(source, new Publisher(target), target, LIMITS, new SyntaxCheck(checks), events, Ticker.system());
  }

  private Syncer syncer(String path) throws IOException {
    return syncer(path, null, Set.of());
  }

  private Syncer.Outcome sync(Syncer s) {
    return s.sync(new Cancellation());
  }

  @Test
  void etagFlow_firstPublishes_thenConditional304_thenChangePublishes() throws Exception {
    origin.content(new Archives().file("index.html", "v1").file("css/site.css", "body{}").tarGz());
    Syncer s = syncer("/site.tar.gz");

    Syncer.Outcome first = sync(s);
    Syncer.Outcome second = sync(s);
    origin.content(new Archives().file("index.html", "v2").tarGz());
    Syncer.Outcome third = sync(s);

    assertEquals(Syncer.Result.PUBLISHED, first.result());
    assertFalse(first.replaced(), "the first version went into an empty target");
    assertEquals(Syncer.Result.UNCHANGED, second.result());
    assertEquals(Syncer.Result.PUBLISHED, third.result());
    assertTrue(third.replaced());
    assertEquals(2, origin.fullResponses());
    assertEquals(1, origin.notModifiedResponses());
    assertTrue(origin.conditionalHeaders().getFirst().startsWith("If-None-Match: \""), origin.conditionalHeaders().toString());
    assertEquals("v2", Files.readString(target.resolve("index.html")));
    assertFalse(Files.exists(target.resolve("css")), "names the new version lacks are gone");
    assertEquals(List.of("published " + first.version() + " files=2", "unchanged", "published " + third.version() + " files=1"),
        events.events());
    assertOnlyLayout();
  }

  @Test
  void noValidators_sameContent_notPublishedAgain() throws Exception {
    origin.validators(false).content("{\"a\":1}");
    Syncer s = syncer("/app.json");

    sync(s);
    Syncer.Outcome again = sync(s);

    assertEquals(Syncer.Result.UNCHANGED, again.result());
    assertEquals(2, origin.fullResponses());
    assertEquals("{\"a\":1}", Files.readString(target.resolve("app.json")));
  }

  @Test
  void restart_sameContentAsPublished_notPublishedAgain() throws Exception {
    origin.content("a: 1\n");
    sync(syncer("/app.yaml"));
    String published = new Publisher(target).current().orElseThrow();

    Syncer.Outcome afterRestart = sync(syncer("/app.yaml"));

    assertEquals(Syncer.Result.UNCHANGED, afterRestart.result());
    assertEquals(published, new Publisher(target).current().orElseThrow());
  }

  @Test
  void serverError_failsAndLastGoodStays_thenRecovers() throws Exception {
    origin.content("good");
    Syncer s = syncer("/app.txt");
    sync(s);

    origin.content("newer").failWith(503);
    Syncer.Outcome failed = sync(s);
    origin.failWith(0);
    Syncer.Outcome recovered = sync(s);

    assertEquals(SyncFailure.Reason.STATUS, failed.reason());
    assertTrue(failed.message().contains("503"), failed.message());
    assertEquals(Syncer.Result.PUBLISHED, recovered.result());
    assertEquals("newer", Files.readString(target.resolve("app.txt")));
  }

  @Test
  void truncatedBody_refused_lastGoodStays() throws Exception {
    origin.content("good");
    Syncer s = syncer("/app.txt");
    sync(s);

    origin.content("x".repeat(100_000)).truncate(true);
    Syncer.Outcome o = sync(s);

    assertEquals(SyncFailure.Reason.FETCH, o.reason(), o.message());
    assertEquals("good", Files.readString(target.resolve("app.txt")));
    assertOnlyLayout();
    origin.truncate(false);
    assertEquals(Syncer.Result.PUBLISHED, sync(s).result(), "a cut-short body is not remembered as fetched");
  }

  @Test
  void checksumMismatch_refused_matchingPublished() throws Exception {
    byte[] body = new Archives().file("a.conf", "a").tarGz();
    origin.content(body);
    String right = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

    Syncer.Outcome wrong = sync(syncer("/c.tar.gz", "0".repeat(64), Set.of()));
    Syncer.Outcome ok = sync(syncer("/c.tar.gz", right, Set.of()));

    assertEquals(SyncFailure.Reason.CHECKSUM, wrong.reason());
    assertEquals(Syncer.Result.PUBLISHED, ok.result());
    assertEquals("sha256:" + right.substring(0, 12), ok.version());
  }

  @Test
  void syntaxCheck_badJsonOrYaml_refusedUntilTheSourceChanges() throws Exception {
    origin.content(new Archives().file("app.json", "{\"a\":1}").file("b.yaml", "a: [1]").tarGz());
    Syncer s = syncer("/c.tar.gz", null, Set.of(SyntaxCheck.Kind.JSON, SyntaxCheck.Kind.YAML));
    sync(s);

    origin.content(new Archives().file("app.json", "{\"a\":1,}").file("b.yaml", "a: [1]").tarGz());
    Syncer.Outcome badJson = sync(s);
    Syncer.Outcome stillBad = sync(s);
    origin.content(new Archives().file("app.json", "{\"a\":2}").file("b.yaml", "a: [1").tarGz());
    Syncer.Outcome badYaml = sync(s);

    assertEquals(SyncFailure.Reason.SYNTAX, badJson.reason());
    assertTrue(badJson.message().startsWith("app.json: "), badJson.message());
    assertEquals(SyncFailure.Reason.SYNTAX, stillBad.reason(), "unchanged source, still the bad version");
    assertEquals(3, origin.fullResponses(), "the bad version is not downloaded again");
    assertTrue(badYaml.message().startsWith("b.yaml: "), badYaml.message());
    assertEquals("{\"a\":1}", Files.readString(target.resolve("app.json")));
    assertOnlyLayout();
  }

  @Test
  void bodyLargerThanLimit_refused() throws Exception {
    origin.content("x".repeat(2 << 20));
    Syncer.Outcome o = sync(syncer("/big.txt"));
    assertEquals(SyncFailure.Reason.LIMIT, o.reason(), o.message());
    assertTrue(new Publisher(target).current().isEmpty());
  }

  @Test
  void cancelled_whileBodyStreamsSlowly_endsPromptlyWithNothingPublished() throws Exception {
    origin.content("x".repeat(400 * 1024)).chunkDelay(Duration.ofMillis(20)); // ~2 s in all
    Syncer s = syncer("/slow.txt");
    Cancellation c = new Cancellation();
    AtomicLong cancelledAt = new AtomicLong();
    Thread canceller = new Thread(() -> {
      // Cancel once the origin has started sending the body: the sync is then mid-download.
      Await.until(Duration.ofSeconds(10), "the body started", () -> origin.fullResponses() >= 1);
      cancelledAt.set(System.nanoTime());
      c.cancel();
    });
    canceller.start();

    Syncer.Outcome o = s.sync(c);

    long ms = (System.nanoTime() - cancelledAt.get()) / 1_000_000;
    canceller.join();
    assertEquals(SyncFailure.Reason.CANCELLED, o.reason(), o.message());
    assertTrue(cancelledAt.get() != 0 && ms < 1000, "cancel took effect after " + ms + " ms (the whole body takes 2 s)");
    assertTrue(new Publisher(target).current().isEmpty());
    assertOnlyLayout();
  }

  /** Nothing in the target but the layout's names: no staging folder left behind. */
  private void assertOnlyLayout() throws IOException {
    try (Stream<Path> top = Files.list(target)) {
      assertTrue(top.map(p -> p.getFileName().toString()).noneMatch(n -> n.startsWith(Publisher.STAGING_PREFIX)),
          "staging folder left behind");
    }
  }
}
