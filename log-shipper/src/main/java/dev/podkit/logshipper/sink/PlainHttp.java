package dev.podkit.logshipper.sink;

import dev.podkit.runtime.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * POSTs to a plain {@code http:} endpoint over one HTTP/1.1 connection of its own, kept open
 * between requests while the server allows it. It does what {@link HttpPoster} needs and no more
 * (a fixed-length body, the status, Retry-After and the answer's body, by Content-Length, chunked
 * or to the connection's end): {@link java.net.HttpURLConnection} spent more CPU per request than
 * the body's bytes took, mostly interpreted or being compiled. TLS stays with the JDK's client.
 * One thread at a time.
 */
final class PlainHttp implements AutoCloseable {
  /** Headers the client sets itself; an endpoint's extra header of one of these names is ignored. */
  private static final Set<String> OWN = Set.of("host", "content-length", "connection", "transfer-encoding",
      "keep-alive", "upgrade", "expect", "te", "trailer", "content-type", "user-agent", "content-encoding");

  private final InetSocketAddress address;
  private final int connectTimeoutMs;
  private final int readTimeoutMs;
  /** The request line and headers up to the Content-Length value. */
  private final byte[] head;
  private final int maxAnswer;
  private Socket socket;
  private AnswerReader in;
  private OutputStream out;

  PlainHttp(HttpEndpoint endpoint, String contentType, int maxAnswer) {
    URI uri = endpoint.uri();
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    boolean literal6 = host.startsWith("[");
    this.address = InetSocketAddress.createUnresolved(literal6 ? host.substring(1, host.length() - 1) : host, port);
    this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, endpoint.connectTimeout().toMillis());
    this.readTimeoutMs = (int) Math.min(Integer.MAX_VALUE, endpoint.readTimeout().toMillis());
    this.maxAnswer = maxAnswer;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder h = new StringBuilder("POST ").append(path);
    if (uri.getRawQuery() != null) {
      h.append('?').append(uri.getRawQuery());
    }
    h.append(" HTTP/1.1\r\nHost: ").append(host).append(uri.getPort() < 0 ? "" : ":" + port).append("\r\n");
    for (Map.Entry<String, String> e : endpoint.headers().entrySet()) {
      if (!OWN.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
      }
    }
    h.append("Content-Type: ").append(contentType).append("\r\nUser-Agent: podkit-log-shipper\r\n");
    if (endpoint.gzip()) {
      h.append("Content-Encoding: gzip\r\n");
    }
    this.head = h.append("Content-Length: ").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends {@code body[0, len)} and reads the answer. A kept-alive connection the server closed
   * meanwhile fails before any answer comes: then the request goes once more on a new one.
   */
  HttpPoster.Response post(byte[] body, int len) throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(body, len);
    } catch (SocketTimeoutException e) {
      close();
      throw e;
    } catch (IOException e) {
      boolean answerBegun = in != null && in.begun();
      close();
      if (!reused || answerBegun) {
        throw e;
      }
      return exchange(body, len);
    }
  }

  private HttpPoster.Response exchange(byte[] body, int len) throws IOException {
    if (socket == null) {
      connect();
    }
    in.reset();
    byte[] length = (len + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = Arrays.copyOf(head, head.length + length.length);
    System.arraycopy(length, 0, request, head.length, length.length);
    out.write(request); // the head in one segment, then the body
    out.write(body, 0, len);
    out.flush();
    HttpAnswer answer = HttpAnswer.read(in, maxAnswer);
    if (!answer.keepAlive()) {
      close();
    }
    return new HttpPoster.Response(answer.status(), answer.body(), Durations.retryAfter(answer.retryAfter()));
  }

  private void connect() throws IOException {
    InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
    if (resolved.isUnresolved()) {
      throw new UnknownHostException(address.getHostString());
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true); // the whole request is written at once: nothing to gain from waiting
      s.connect(resolved, connectTimeoutMs);
      s.setSoTimeout(readTimeoutMs);
      InputStream raw = s.getInputStream();
      in = new AnswerReader(raw);
      out = s.getOutputStream();
      socket = s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing: nothing more to do
      }
    }
  }
}
