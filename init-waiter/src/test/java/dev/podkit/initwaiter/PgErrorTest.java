package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgErrorTest {
  /** The body of an ErrorResponse with {@code fields} as type, value, type, value, ... */
  private static PgWire.Message error(String... fields) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      b.write(fields[i].charAt(0));
      b.writeBytes(fields[i + 1].getBytes(StandardCharsets.UTF_8));
      b.write(0);
    }
    b.write(0);
    return new PgWire.Message('E', ByteBuffer.wrap(b.toByteArray()));
  }

  @Test
  void parse_startingUp_isUnavailableAndStartingUp() throws ProtocolException {
    PgError e = PgError.parse(error("S", "FATAL", "V", "FATAL", "C", "57P03",
        "M", "the database system is starting up", "F", "postmaster.c", "L", "2345"));

    assertEquals(new PgError("FATAL", "57P03", "the database system is starting up"), e);
    assertTrue(e.startingUp());
    assertTrue(e.serverUnavailable());
    assertFalse(e.authFailed());
  }

  @Test
  void parse_wrongPassword_isAuthFailure() throws ProtocolException {
    PgError e = PgError.parse(error("S", "FATAL", "C", "28P01",
        "M", "password authentication failed for user \"app\""));

    assertTrue(e.authFailed());
    assertFalse(e.serverUnavailable());
    assertEquals("28P01 password authentication failed for user \"app\"", e.toString());
  }

  @Test
  void parse_localizedSeverityOnly_usesIt() throws ProtocolException {
    PgError e = PgError.parse(
        error("S", "FATAL", "C", "3D000", "M", "database \"x\" does not exist"));

    assertEquals("FATAL", e.severity());
  }

  @Test
  void parse_shutdownCodes_areUnavailableButNotStartingUp() throws ProtocolException {
    PgError e = PgError.parse(error("C", "57P01", "M", "terminating connection"));

    assertTrue(e.serverUnavailable());
    assertFalse(e.startingUp());
  }

  @Test
  void parse_noFields_isEmpty() throws ProtocolException {
    PgError e = PgError.parse(error());

    assertEquals(new PgError("", "", ""), e);
    assertEquals("", e.toString());
  }

  @Test
  void parse_missingTerminator_throws() {
    byte[] body = {'C', '5', '7', 'P', '0', '3', 0};

    assertThrows(ProtocolException.class,
        () -> PgError.parse(new PgWire.Message('E', ByteBuffer.wrap(body))));
  }

  @Test
  void parse_unterminatedValue_throws() {
    byte[] body = {'C', '5', '7'};

    assertThrows(ProtocolException.class,
        () -> PgError.parse(new PgWire.Message('E', ByteBuffer.wrap(body))));
  }
}
