package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Reads a request body for the fake servers, decoding {@code Content-Encoding: gzip}. */
final class RequestBody {
  private RequestBody() {}

  /**
   * The decoded body; throws {@link IllegalArgumentException} (a 400 for the fixture) for an
   * unknown encoding or a broken gzip stream.
   */
  static byte[] read(HttpExchange x) throws IOException {
    byte[] raw = x.getRequestBody().readAllBytes();
    String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding == null || encoding.equalsIgnoreCase("identity")) {
      return raw;
    }
    if (!encoding.equalsIgnoreCase("gzip")) {
      throw new IllegalArgumentException("unsupported Content-Encoding: " + encoding);
    }
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalArgumentException("bad gzip body: " + e.getMessage());
    }
  }
}
