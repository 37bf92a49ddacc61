package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresProbeIT {
  private static final String PASSWORD = "s3cret, with = signs";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration START = Duration.ofSeconds(60);

  /** One cluster for the class (initdb is the slow part); each test finds it running. */
  private static PostgresServer pg;

  @BeforeAll
  static void createCluster() throws Exception {
    pg = PostgresServer.create(PASSWORD);
  }

  @AfterAll
  static void removeCluster() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void runWithScram() throws Exception {
    if (!pg.isRunning()) {
      pg.start();
    }
    pg.awaitReady(START);
    pg.hostAuth("scram-sha-256");
  }

  private static PostgresProbe probe(String user, String password, String database) {
    return new PostgresProbe(pg.host(), pg.port(), user, password, database);
  }

  private static ProbeResult check(PostgresProbe probe) throws InterruptedException {
    return probe.check(TIMEOUT);
  }

  @Test
  void check_serverStopped_connectionRefused() throws Exception {
    pg.stop();

    assertEquals(ProbeResult.notReady("connection refused"), check(probe(null, null, null)));
  }

  @Test
  void check_noPassword_readyAsServerAsksForAuth() throws Exception {
    assertEquals(ProbeResult.ready("server answers, auth requested"),
        check(probe(null, null, null)));
  }

  @Test
  void check_scramRightPassword_selectOneOk() throws Exception {
    assertEquals(ProbeResult.ready("SELECT 1 ok"),
        check(probe("postgres", PASSWORD, "postgres")));
  }

  @Test
  void check_wrongPassword_authFailed() throws Exception {
    ProbeResult r = check(probe("postgres", "wrong", null));

    assertFalse(r.ready());
    assertEquals("auth failed: 28P01 password authentication failed for user \"postgres\"",
        r.reason());
  }

  @Test
  void check_unknownDatabaseWithPassword_notReadyWithSqlState() throws Exception {
    ProbeResult r = check(probe("postgres", PASSWORD, "nosuchdb"));

    assertEquals(ProbeResult.notReady("3D000 database \"nosuchdb\" does not exist"), r);
  }

  @Test
  void check_md5RightPassword_selectOneOk() throws Exception {
    pg.sql("SET password_encryption = 'md5'; ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
    try {
      pg.hostAuth("md5");
      long before = logLines("method=md5");

      assertEquals(ProbeResult.ready("SELECT 1 ok"), check(probe(null, PASSWORD, null)));
      assertTrue(logLines("method=md5") > before, "server did not log an MD5 login");
      assertEquals(ProbeResult.notReady(
          "auth failed: 28P01 password authentication failed for user \"postgres\""),
          check(probe(null, "wrong", null)));
    } finally {
      pg.sql("SET password_encryption = 'scram-sha-256'; "
          + "ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
    }
  }

  @Test
  void check_cleartextPassword_selectOneOk() throws Exception {
    pg.hostAuth("password");
    long before = logLines("method=password");

    assertEquals(ProbeResult.ready("SELECT 1 ok"), check(probe(null, PASSWORD, null)));
    assertTrue(logLines("method=password") > before, "server did not log a password login");
  }

  @Test
  void check_trustWithoutPassword_selectOneOk() throws Exception {
    pg.hostAuth("trust");

    assertEquals(ProbeResult.ready("SELECT 1 ok"), check(probe(null, null, null)));
  }

  @Test
  void check_hbaRejectsWithoutPassword_readyAsServerAnswers() throws Exception {
    pg.hostAuth("reject");

    ProbeResult r = check(probe(null, null, null));

    assertTrue(r.ready(), r.reason());
    assertTrue(r.reason().startsWith("server answers: 28000 pg_hba.conf rejects"), r.reason());
  }

  @Test
  void check_hbaRejectsWithPassword_authFailed() throws Exception {
    pg.hostAuth("reject");

    ProbeResult r = check(probe(null, PASSWORD, null));

    assertFalse(r.ready());
    assertTrue(r.reason().startsWith("auth failed: 28000 pg_hba.conf rejects"), r.reason());
  }

  @Test
  void check_serverStartsAfterFailures_becomesReady() throws Exception {
    pg.stop();
    PostgresProbe probe = probe(null, PASSWORD, null);
    assertEquals(ProbeResult.notReady("connection refused"), check(probe));

    pg.start();
    List<ProbeResult> seen = Attempts.until(probe, ProbeResult::ready, START);

    assertEquals(ProbeResult.ready("SELECT 1 ok"), seen.getLast(), seen::toString);
    // On the way: refusals, maybe "starting up"; never an auth failure or a protocol error.
    for (ProbeResult r : seen.subList(0, seen.size() - 1)) {
      assertTrue(List.of("connection refused", "starting up").contains(r.reason()), seen::toString);
    }
  }

  @Test
  void check_serverNotAcceptingConnections_startingUp() throws Exception {
    pg.stop();
    pg.startInStandby();
    try {
      PostgresProbe probe = probe(null, PASSWORD, null);

      List<ProbeResult> seen = Attempts.until(probe,
          r -> !r.reason().equals("connection refused"), START);

      assertEquals(ProbeResult.notReady("starting up"), seen.getLast(), seen::toString);
      // Without a password too: the server answers, but it is not ready.
      assertEquals(ProbeResult.notReady("starting up"), check(probe(null, null, null)));
    } finally {
      pg.stop();
    }
  }

  @Test
  void check_impostorSkipsScramSignature_authFailed() throws Exception {
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    reply.writeBytes(auth(10, (ScramSha256.MECHANISM + "\0\0").getBytes(StandardCharsets.UTF_8)));
    reply.writeBytes(auth(0, new byte[0]));
    try (CannedReplyServer impostor = new CannedReplyServer(reply.toByteArray())) {
      ProbeResult r = new PostgresProbe("127.0.0.1", impostor.port(), null, PASSWORD, null)
          .check(TIMEOUT);

      assertEquals(ProbeResult.notReady("auth failed: server sent no SCRAM signature"), r);
    }
  }

  @Test
  void check_unsupportedAuthMethod_notReady() throws Exception {
    try (CannedReplyServer gss = new CannedReplyServer(auth(7, new byte[0]))) {
      ProbeResult r = new PostgresProbe("127.0.0.1", gss.port(), null, PASSWORD, null)
          .check(TIMEOUT);

      assertEquals(ProbeResult.notReady("auth method GSSAPI not supported"), r);
    }
  }

  @Test
  void check_httpServer_notReadyProtocolError() throws Exception {
    byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    try (CannedReplyServer web = new CannedReplyServer(http)) {
      ProbeResult r = new PostgresProbe("127.0.0.1", web.port(), null, null, null)
          .check(TIMEOUT);

      assertFalse(r.ready());
      assertTrue(r.reason().startsWith("protocol: bad length"), r.reason());
    }
  }

  /** An Authentication message: 'R', length, {@code code}, {@code rest}. */
  private static byte[] auth(int code, byte[] rest) {
    return ByteBuffer.allocate(9 + rest.length)
        .put((byte) 'R').putInt(8 + rest.length).putInt(code).put(rest).array();
  }

  private static long logLines(String containing) throws IOException {
    return Files.readAllLines(pg.logFile()).stream().filter(l -> l.contains(containing)).count();
  }
}
