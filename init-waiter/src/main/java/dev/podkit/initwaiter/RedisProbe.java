package dev.podkit.initwaiter;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Ready when a Redis server answers {@code PING} with {@code +PONG}, after {@code AUTH} when a
 * password is given. Speaks RESP directly: commands go out as arrays of bulk strings, and the
 * one-line replies of AUTH and PING are read with a length limit. A server still loading its
 * dataset answers {@code -LOADING} and is not ready.
 */
final class RedisProbe implements Probe {
  /** Longer than any status or error line AUTH and PING bring; bounds memory on garbage. */
  private static final int MAX_LINE = 4096;
  /** How much of a foreign reply goes into a reason. */
  private static final int SHOWN = 60;

  private final String host;
  private final int port;
  /** Null for the default user ({@code AUTH password}). */
  private final String user;
  /** Null to send no AUTH. */
  private final String password;

  RedisProbe(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  @Override
  public ProbeResult check(Duration timeout) throws InterruptedException {
    return Dialer.dial(host, port, timeout, this::converse);
  }

  private ProbeResult converse(Socket s, long deadline) throws IOException {
    InputStream in = new BufferedInputStream(s.getInputStream());
    OutputStream out = s.getOutputStream();
    if (password != null) {
      send(out, user == null ? new String[] {"AUTH", password}
          : new String[] {"AUTH", user, password});
      String reply = readLine(s, in, deadline);
      if (reply.startsWith("-")) {
        String error = reply.substring(1);
        return error.startsWith("LOADING") ? ProbeResult.notReady("loading dataset")
            : ProbeResult.notReady("auth failed: " + error);
      }
      if (!reply.equals("+OK")) {
        return foreign(reply);
      }
    }
    send(out, "PING");
    String reply = readLine(s, in, deadline);
    if (reply.equals("+PONG")) {
      return ProbeResult.ready("PONG");
    }
    if (!reply.startsWith("-")) {
      return foreign(reply);
    }
    String error = reply.substring(1);
    if (error.startsWith("LOADING")) {
      return ProbeResult.notReady("loading dataset");
    }
    if (error.startsWith("NOAUTH")) {
      return ProbeResult.notReady("auth required: " + error.substring("NOAUTH".length()).strip());
    }
    return ProbeResult.notReady(error);
  }

  /** Writes one command as a RESP array of bulk strings, which any argument bytes can be. */
  private static void send(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(b.toByteArray());
    out.flush();
  }

  /** Reads one reply line without its CRLF, within the deadline and {@link #MAX_LINE} bytes. */
  private static String readLine(Socket s, InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (line.size() <= MAX_LINE) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("waiting for the server's reply");
      }
      s.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int c = in.read();
      if (c < 0) {
        throw new EOFException();
      }
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int end = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, end, StandardCharsets.UTF_8);
      }
      line.write(c);
    }
    throw new ProtocolException("protocol: reply line longer than " + MAX_LINE + " bytes");
  }

  private static ProbeResult foreign(String reply) {
    String shown = reply.length() > SHOWN ? reply.substring(0, SHOWN) + "..." : reply;
    return ProbeResult.notReady("not a redis reply: " + shown);
  }
}
