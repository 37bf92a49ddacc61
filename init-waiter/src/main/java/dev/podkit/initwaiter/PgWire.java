package dev.podkit.initwaiter;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framing of the PostgreSQL frontend/backend protocol 3.0 on one connected socket: writes
 * the startup packet and typed messages, reads typed messages of bounded size. Every read must
 * finish before the attempt's deadline, however many messages the server sends.
 */
final class PgWire {
  /** Protocol version 3.0, as the startup packet spells it: major in the high 16 bits. */
  private static final int PROTOCOL_3_0 = 3 << 16;
  /** Larger than any message a login and {@code SELECT 1} bring; bounds memory on garbage. */
  static final int MAX_MESSAGE = 64 * 1024;

  /** One backend message: its type byte and its body, positioned after the length word. */
  record Message(char type, ByteBuffer body) {
    /** The body's next NUL-terminated UTF-8 string; the buffer advances past the NUL. */
    String cstring() throws ProtocolException {
      int start = body.position();
      for (int i = start; i < body.limit(); i++) {
        if (body.get(i) == 0) {
          String s = new String(body.array(), start, i - start, StandardCharsets.UTF_8);
          body.position(i + 1);
          return s;
        }
      }
      throw new ProtocolException("protocol: unterminated string in '" + type + "' message");
    }

    /** The body's next 32-bit integer. */
    int int32() throws ProtocolException {
      if (body.remaining() < 4) {
        throw new ProtocolException("protocol: short '" + type + "' message");
      }
      return body.getInt();
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final long deadlineNanos;

  PgWire(Socket socket, long deadlineNanos) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
    this.deadlineNanos = deadlineNanos;
  }

  /** Sends the StartupMessage: protocol 3.0 and the given parameters (name, value, ...). */
  void startup(String... params) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String p : params) {
      body.writeBytes(cstring(p));
    }
    body.write(0);
    ByteBuffer b = ByteBuffer.allocate(8 + body.size());
    b.putInt(8 + body.size()).putInt(PROTOCOL_3_0).put(body.toByteArray());
    out.write(b.array());
    out.flush();
  }

  /** Sends one typed message whose body is {@code parts} one after the other. */
  void send(char type, byte[]... parts) throws IOException {
    int length = 4;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(1 + length).put((byte) type).putInt(length);
    for (byte[] p : parts) {
      b.put(p);
    }
    out.write(b.array());
    out.flush();
  }

  /** Reads the next message, waiting at most until the deadline. */
  Message read() throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("waiting for the server's reply");
    }
    // SO_TIMEOUT bounds each blocking read; the remaining time keeps the sum within the deadline.
    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    int type = in.read();
    if (type < 0) {
      throw new EOFException("server closed the connection");
    }
    int length = in.readInt();
    if (length < 4 || length > MAX_MESSAGE) {
      throw new ProtocolException(
          "protocol: bad length " + length + " of message 0x" + Integer.toHexString(type));
    }
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Message((char) type, ByteBuffer.wrap(body));
  }

  /** {@code s} in UTF-8 with the NUL terminator the protocol puts after every string. */
  static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] c = new byte[b.length + 1];
    System.arraycopy(b, 0, c, 0, b.length);
    return c;
  }

  static byte[] int32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }
}
