package dev.podkit.logshipper.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * An HTTP/1.1 answer as {@link PlainHttp} reads it: the status, Retry-After, the body (by
 * Content-Length, chunked, or up to the connection's end; at most {@code max} bytes are kept, the
 * rest is read and dropped) and whether the connection may carry another request. Informational
 * (1xx) answers are skipped.
 *
 * @param retryAfter the Retry-After header as sent, or null
 */
record HttpAnswer(int status, byte[] body, String retryAfter, boolean keepAlive) {
  private static final int MAX_HEADERS = 256;

  static HttpAnswer read(AnswerReader in, int max) throws IOException {
    while (true) {
      String statusLine = in.line();
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
        throw new IOException("not an HTTP/1.x status line: " + clip(statusLine));
      }
      int status = parseInt(statusLine.substring(9, 12), "status");
      boolean http11 = statusLine.charAt(7) != '0';
      long length = -1;
      boolean chunked = false;
      String connection = "";
      String retryAfter = null;
      for (int n = 0; ; n++) {
        String line = in.line();
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || n >= MAX_HEADERS) {
          throw new IOException(n >= MAX_HEADERS ? "more than " + MAX_HEADERS + " headers" : "bad header: " + clip(line));
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
          case "connection" -> connection = connection + "," + value.toLowerCase(Locale.ROOT);
          case "retry-after" -> retryAfter = value;
          default -> { }
        }
      }
      if (status >= 100 && status < 200 && status != 101) {
        continue; // 100 Continue and the like: the real answer follows
      }
      boolean keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive");
      Body body = new Body(max);
      if (status == 204 || status == 304) {
        // no body, whatever the headers say
      } else if (chunked) {
        readChunks(in, body);
      } else if (length >= 0) {
        in.copy(length, body);
      } else {
        in.copy(Long.MAX_VALUE, body); // to the end: the connection cannot be reused
        keepAlive = false;
      }
      return new HttpAnswer(status, body.toByteArray(), retryAfter, keepAlive);
    }
  }

  private static void readChunks(AnswerReader in, Body body) throws IOException {
    while (true) {
      String size = in.line();
      int semi = size.indexOf(';');
      long n;
      try {
        n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + clip(size));
      }
      if (n < 0) {
        throw new IOException("bad chunk size: " + clip(size));
      }
      if (n == 0) {
        while (!in.line().isEmpty()) {
          // trailers: not used
        }
        return;
      }
      in.copy(n, body);
      if (!in.line().isEmpty()) {
        throw new IOException("no line end after a chunk");
      }
    }
  }

  private static int parseInt(String s, String what) throws IOException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IOException("bad " + what + ": " + clip(s));
    }
  }

  private static long parseLong(String s) throws IOException {
    try {
      long v = Long.parseLong(s);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IOException("bad Content-Length: " + clip(s));
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** The answer's body: its first {@code max} bytes are kept. */
  static final class Body extends ByteArrayOutputStream {
    private final int max;

    Body(int max) {
      super(0);
      this.max = max;
    }

    void add(byte[] b, int off, int len) {
      write(b, off, Math.min(len, Math.max(0, max - count)));
    }
  }
}
