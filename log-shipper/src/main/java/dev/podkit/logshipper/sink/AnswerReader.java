package dev.podkit.logshipper.sink;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of {@link PlainHttp}'s connection as {@link HttpAnswer} reads them: lines and counted
 * runs, buffered; knows whether any byte of the current answer came yet (a kept-alive connection
 * the server closed meanwhile yields none).
 */
final class AnswerReader {
  private static final int MAX_LINE = 64 * 1024;
  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int lim;
  private boolean begun;

  AnswerReader(InputStream in) {
    this.in = in;
  }

  /** A new exchange begins: nothing of its answer came yet (nothing is left of the last one). */
  void reset() {
    begun = false;
  }

  boolean begun() {
    return begun;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    begun = true;
    pos = 0;
    lim = n;
    return true;
  }

  /** The next line without its CRLF (or bare LF), as ISO-8859-1. */
  String line() throws IOException {
    StringBuilder s = null;
    while (true) {
      if (pos == lim && !fill()) {
        throw new EOFException(begun ? "connection closed within an answer" : "connection closed before an answer");
      }
      int start = pos;
      while (pos < lim && buf[pos] != '\n') {
        pos++;
      }
      int end = pos;
      boolean done = pos < lim;
      if (done) {
        pos++; // the newline
      }
      String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
      s = s == null ? new StringBuilder(part) : s.append(part);
      if (s.length() > MAX_LINE) {
        throw new IOException("answer line longer than " + MAX_LINE + " bytes");
      }
      if (done) {
        int n = s.length();
        return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
      }
    }
  }

  /** Moves {@code n} bytes (or up to the end when n is Long.MAX_VALUE) into {@code body}. */
  void copy(long n, HttpAnswer.Body body) throws IOException {
    while (n > 0) {
      if (pos == lim && !fill()) {
        if (n == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("connection closed within an answer's body");
      }
      int take = (int) Math.min(n, lim - pos);
      body.add(buf, pos, take);
      pos += take;
      if (n != Long.MAX_VALUE) {
        n -= take;
      }
    }
  }
}
