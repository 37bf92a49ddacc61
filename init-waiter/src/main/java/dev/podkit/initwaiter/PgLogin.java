package dev.podkit.initwaiter;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The password side of one PostgreSQL login: answers the server's authentication requests with
 * a cleartext password, an MD5 hash or a SCRAM-SHA-256 exchange, until AuthenticationOk.
 */
final class PgLogin {
  private final String user;
  private final String password;
  /** Null until the server asks for SASL; then the exchange in progress. */
  private ScramSha256 scram;
  /** Whether the server proved it knows the password (SCRAM only). */
  private boolean serverVerified;

  PgLogin(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /**
   * Answers one Authentication request whose code was just read from {@code request}.
   *
   * @return true for AuthenticationOk (logged in), false after sending an answer
   * @throws ProtocolException with the reason, for an unsupported method, a malformed request
   *     or a server whose SCRAM signature is wrong or missing
   */
  boolean answer(PgWire wire, int code, PgWire.Message request) throws IOException {
    switch (code) {
      case 0 -> {
        if (scram != null && !serverVerified) {
          // Only an impostor that does not know the password skips the signature.
          throw new ProtocolException("auth failed: server sent no SCRAM signature");
        }
        return true;
      }
      case 3 -> wire.send('p', PgWire.cstring(password));
      case 5 -> wire.send('p', PgWire.cstring(md5(request)));
      case 10 -> startScram(wire, request);
      case 11 -> wire.send('p', bytes(scram().clientFinal(rest(request))));
      case 12 -> {
        if (!scram().serverFinalValid(rest(request))) {
          throw new ProtocolException("auth failed: wrong SCRAM server signature");
        }
        serverVerified = true;
      }
      default -> throw new ProtocolException("auth method " + methodName(code) + " not supported");
    }
    return false;
  }

  /** Sends SASLInitialResponse when the server offers SCRAM-SHA-256 among its mechanisms. */
  private void startScram(PgWire wire, PgWire.Message request) throws IOException {
    StringBuilder offered = new StringBuilder();
    for (String m = request.cstring(); !m.isEmpty(); m = request.cstring()) {
      if (m.equals(ScramSha256.MECHANISM)) {
        // PostgreSQL takes the user from the startup packet and ignores this one; libpq sends
        // an empty name too.
        scram = new ScramSha256("", password);
        byte[] first = bytes(scram.clientFirst());
        wire.send('p', PgWire.cstring(ScramSha256.MECHANISM), PgWire.int32(first.length), first);
        return;
      }
      offered.append(offered.isEmpty() ? "" : ",").append(m);
    }
    throw new ProtocolException("auth method SASL " + offered + " not supported");
  }

  private ScramSha256 scram() throws ProtocolException {
    if (scram == null) {
      throw new ProtocolException("protocol: SASL continued before it started");
    }
    return scram;
  }

  /** "md5" + md5hex(md5hex(password + user) + salt), the answer to AuthenticationMD5Password. */
  private String md5(PgWire.Message request) throws ProtocolException {
    if (request.body().remaining() != 4) {
      throw new ProtocolException("protocol: MD5 salt of " + request.body().remaining() + " bytes");
    }
    byte[] salt = new byte[4];
    request.body().get(salt);
    HexFormat hex = HexFormat.of();
    String inner = hex.formatHex(md5(bytes(password + user)));
    byte[] outer = new byte[inner.length() + 4];
    System.arraycopy(bytes(inner), 0, outer, 0, inner.length());
    System.arraycopy(salt, 0, outer, inner.length(), 4);
    return "md5" + hex.formatHex(md5(outer));
  }

  private static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 unavailable", e); // every JDK must have it
    }
  }

  private static String rest(PgWire.Message m) {
    return new String(m.body().array(), m.body().position(), m.body().remaining(),
        StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String methodName(int code) {
    return switch (code) {
      case 2 -> "Kerberos V5";
      case 6 -> "SCM credentials";
      case 7 -> "GSSAPI";
      case 9 -> "SSPI";
      default -> String.valueOf(code);
    };
  }
}
