package dev.podkit.initwaiter;

import java.io.IOException;
import java.time.Duration;

/**
 * Ready when a PostgreSQL server answers logins; with a password, when it lets us log in and
 * runs {@code SELECT 1}. Speaks protocol 3.0 directly (no driver, no TLS):
 *
 * <ol>
 *   <li>send a StartupMessage for the user (default "postgres") and database;
 *   <li>without a password, any authentication request proves the server answers: ready. With
 *       one, answer the requests (cleartext, MD5, SCRAM-SHA-256) until AuthenticationOk;
 *   <li>skip parameter status and backend key data until ReadyForQuery;
 *   <li>run {@code SELECT 1} and expect the row "1", CommandComplete and ReadyForQuery;
 *   <li>send Terminate, so the server sees a clean disconnect.
 * </ol>
 *
 * An ErrorResponse at any step ends the attempt: SQLSTATE class 57P (starting up, shutting
 * down) is not ready; without a password any other error still proves the server up.
 */
final class PostgresProbe implements Probe {
  /** A login brings about 15 messages; the bound stops a server that never gets to the point. */
  private static final int MAX_MESSAGES = 100;

  private final String host;
  private final int port;
  private final String user;
  /** Null for the answers-logins check, else the password of a real login. */
  private final String password;
  /** Null for the server's default (the user's name). */
  private final String database;

  PostgresProbe(String host, int port, String user, String password, String database) {
    this.host = host;
    this.port = port;
    this.user = user == null ? "postgres" : user;
    this.password = password;
    this.database = database;
  }

  @Override
  public ProbeResult check(Duration timeout) throws InterruptedException {
    return Dialer.dial(host, port, timeout, (socket, deadline) -> converse(new PgWire(socket, deadline)));
  }

  /** Steps (1) and (2). */
  private ProbeResult converse(PgWire wire) throws IOException {
    // (1)
    wire.startup(database == null
        ? new String[] {"user", user}
        : new String[] {"user", user, "database", database});
    // (2) until AuthenticationOk, or a reply that settles the attempt
    PgLogin login = password == null ? null : new PgLogin(user, password);
    for (int i = 0; i < MAX_MESSAGES; i++) {
      PgWire.Message m = wire.read();
      switch (m.type()) {
        case 'E' -> {
          return onError(PgError.parse(m));
        }
        case 'R' -> {
          int code = m.int32();
          boolean loggedIn = login == null ? code == 0 : login.answer(wire, code, m);
          if (loggedIn) {
            return afterLogin(wire);
          }
          if (login == null) {
            return ProbeResult.ready("server answers, auth requested");
          }
        }
        case 'N', 'v' -> { } // notices; NegotiateProtocolVersion only lists what it lacks
        default -> {
          return unexpected(m, "during login");
        }
      }
    }
    return ProbeResult.notReady("protocol: no end to the login");
  }

  /** Steps (3) to (5). */
  private ProbeResult afterLogin(PgWire wire) throws IOException {
    // (3) until the first ReadyForQuery, then (4) until the one after SELECT 1
    boolean queried = false;
    boolean sawOne = false;
    boolean completed = false;
    for (int i = 0; i < MAX_MESSAGES; i++) {
      PgWire.Message m = wire.read();
      switch (m.type()) {
        case 'E' -> {
          return onError(PgError.parse(m));
        }
        case 'Z' -> {
          if (queried) {
            wire.send('X'); // (5)
            return sawOne && completed
                ? ProbeResult.ready("SELECT 1 ok")
                : ProbeResult.notReady("protocol: SELECT 1 did not return 1");
          }
          wire.send('Q', PgWire.cstring("SELECT 1")); // (4)
          queried = true;
        }
        case 'D' -> sawOne = queried && isOne(m);
        case 'C' -> completed = queried;
        case 'S', 'K', 'N', 'T' -> { } // parameter status, key data, notices, row description
        default -> {
          return unexpected(m, queried ? "after SELECT 1" : "before ReadyForQuery");
        }
      }
    }
    return ProbeResult.notReady("protocol: no end to SELECT 1");
  }

  private ProbeResult onError(PgError e) {
    if (e.startingUp()) {
      return ProbeResult.notReady("starting up");
    }
    if (e.serverUnavailable()) {
      return ProbeResult.notReady(e.toString());
    }
    if (password == null) {
      // No pg_hba entry, unknown database and the like: wrong logins, but a server that answers.
      return ProbeResult.ready("server answers: " + e);
    }
    return ProbeResult.notReady(e.authFailed() ? "auth failed: " + e : e.toString());
  }

  /** Whether the DataRow {@code m} holds one column whose text is "1". */
  private static boolean isOne(PgWire.Message m) {
    var b = m.body();
    return b.remaining() == 7 && b.getShort() == 1 && b.getInt() == 1 && b.get() == '1';
  }

  private static ProbeResult unexpected(PgWire.Message m, String when) {
    return ProbeResult.notReady(
        "protocol: unexpected message 0x" + Integer.toHexString(m.type()) + " " + when);
  }
}
