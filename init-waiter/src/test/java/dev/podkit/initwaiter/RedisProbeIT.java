package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisProbeIT {
  private static final String PASSWORD = "s3cret pw";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration START = Duration.ofSeconds(30);

  /** Without a password. */
  private static RedisServer open;
  /** With requirepass. */
  private static RedisServer secured;

  @BeforeAll
  static void startServers() throws Exception {
    open = RedisServer.create(null);
    secured = RedisServer.create(PASSWORD);
    open.start();
    secured.start();
    open.awaitReady(START);
    secured.awaitReady(START);
  }

  @AfterAll
  static void stopServers() throws Exception {
    try {
      if (open != null) {
        open.close();
      }
    } finally {
      if (secured != null) {
        secured.close();
      }
    }
  }

  private static ProbeResult check(RedisServer server, String user, String password)
      throws InterruptedException {
    return new RedisProbe(server.host(), server.port(), user, password).check(TIMEOUT);
  }

  private static ProbeResult check(CannedReplyServer server) throws InterruptedException {
    return new RedisProbe("127.0.0.1", server.port(), null, null).check(TIMEOUT);
  }

  @Test
  void check_serverNotStarted_connectionRefused() throws Exception {
    try (RedisServer idle = RedisServer.create(null)) {
      assertEquals(ProbeResult.notReady("connection refused"), check(idle, null, null));
    }
  }

  @Test
  void check_noPasswordNeeded_pong() throws Exception {
    assertEquals(ProbeResult.ready("PONG"), check(open, null, null));
  }

  @Test
  void check_rightPassword_pong() throws Exception {
    assertEquals(ProbeResult.ready("PONG"), check(secured, null, PASSWORD));
  }

  @Test
  void check_defaultUserAndRightPassword_pong() throws Exception {
    assertEquals(ProbeResult.ready("PONG"), check(secured, "default", PASSWORD));
  }

  @Test
  void check_wrongPassword_authFailed() throws Exception {
    ProbeResult r = check(secured, null, "wrong");

    assertFalse(r.ready());
    assertTrue(r.reason().startsWith("auth failed: WRONGPASS"), r.reason());
  }

  @Test
  void check_passwordRequiredButNotGiven_authRequired() throws Exception {
    assertEquals(ProbeResult.notReady("auth required: Authentication required."),
        check(secured, null, null));
  }

  @Test
  void check_passwordForOpenServer_authFailed() throws Exception {
    ProbeResult r = check(open, null, PASSWORD);

    assertFalse(r.ready());
    assertTrue(r.reason().startsWith("auth failed: ERR"), r.reason());
  }

  @Test
  void check_serverStartsAfterFailures_becomesReady() throws Exception {
    try (RedisServer late = RedisServer.create(PASSWORD)) {
      RedisProbe probe = new RedisProbe(late.host(), late.port(), null, PASSWORD);
      assertEquals(ProbeResult.notReady("connection refused"), probe.check(TIMEOUT));

      late.start();
      List<ProbeResult> seen = Attempts.until(probe, ProbeResult::ready, START);

      assertEquals(ProbeResult.ready("PONG"), seen.getLast(), seen::toString);
    }
  }

  @Test
  void check_loadingDataset_notReady() throws Exception {
    try (CannedReplyServer loading = new CannedReplyServer(
        ascii("-LOADING Redis is loading the dataset in memory\r\n"))) {
      assertEquals(ProbeResult.notReady("loading dataset"), check(loading));
    }
  }

  @Test
  void check_otherError_notReadyWithErrorText() throws Exception {
    try (CannedReplyServer denied = new CannedReplyServer(
        ascii("-DENIED Redis is running in protected mode\r\n"))) {
      assertEquals(ProbeResult.notReady("DENIED Redis is running in protected mode"),
          check(denied));
    }
  }

  @Test
  void check_httpServer_notRedis() throws Exception {
    try (CannedReplyServer web = new CannedReplyServer(
        ascii("HTTP/1.1 400 Bad Request\r\n\r\n"))) {
      assertEquals(ProbeResult.notReady("not a redis reply: HTTP/1.1 400 Bad Request"),
          check(web));
    }
  }

  @Test
  void check_endlessLine_notReadyWithoutReadingItAll() throws Exception {
    try (CannedReplyServer flood = new CannedReplyServer(ascii("+" + "x".repeat(100_000)))) {
      assertEquals(ProbeResult.notReady("protocol: reply line longer than 4096 bytes"),
          check(flood));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
