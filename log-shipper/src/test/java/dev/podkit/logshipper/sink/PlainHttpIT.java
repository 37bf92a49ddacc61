package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.testfixtures.TcpServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PlainHttp against a real loopback server whose answers are written byte for byte by each test. */
class PlainHttpIT {
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

  /** Requests as received (head and body), and the answers to give, in order; null closes the connection. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  @Test
  void post_keptAliveWithChunkedAnswers_usesOneConnectionAndReadsEachBody() throws Exception {
    answers.add("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n");
    answers.add("HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nhello");
    try (TcpServer server = TcpServer.start(this::serve); PlainHttp http = client(server, Map.of())) {
      HttpPoster.Response first = http.post(bytes("one\n"), 4);
      HttpPoster.Response second = http.post(bytes("two\nthree\n"), 10);

      assertEquals(200, first.status());
      assertArrayEquals(bytes("abcde"), first.body());
      assertEquals(202, second.status());
      assertArrayEquals(bytes("hello"), second.body());
      assertEquals(1, server.accepted());
      assertEquals(List.of("one\n", "two\nthree\n"), requests.stream().map(r -> r.split("\r\n\r\n", 2)[1]).toList());
    }
  }

  @Test
  void post_headers_carryHostLengthTypeAndExtrasOnce() throws Exception {
    answers.add(OK);
    try (TcpServer server = TcpServer.start(this::serve);
        PlainHttp http = client(server, Map.of("Authorization", "Bearer t", "Host", "evil", "Content-Length", "1"))) {
      http.post(bytes("abc"), 2);

      String head = requests.get(0).split("\r\n\r\n", 2)[0];
      List<String> lines = List.of(head.split("\r\n"));
      assertEquals("POST /in/x?a=b HTTP/1.1", lines.get(0));
      assertTrue(lines.contains("Host: 127.0.0.1:" + server.port()), head);
      assertTrue(lines.contains("Authorization: Bearer t"), head);
      assertTrue(lines.contains("Content-Type: application/x-ndjson"), head);
      assertEquals(List.of("Content-Length: 2"), lines.stream().filter(l -> l.startsWith("Content-Length")).toList());
      assertEquals(1, lines.stream().filter(l -> l.startsWith("Host")).count(), head);
      assertEquals("ab", requests.get(0).split("\r\n\r\n", 2)[1]);
    }
  }

  @Test
  void post_serverClosedTheIdleConnection_sendsOnceMoreOnANewOne() throws Exception {
    answers.add(OK);
    answers.add("CLOSE"); // the server drops the kept-alive connection after the first answer
    answers.add("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (TcpServer server = TcpServer.start(this::serve); PlainHttp http = client(server, Map.of())) {
      assertEquals(200, http.post(bytes("a"), 1).status());

      HttpPoster.Response r = http.post(bytes("b"), 1);

      assertArrayEquals(bytes("ok"), r.body());
      assertEquals(2, server.accepted());
    }
  }

  @Test
  void post_continueThenRetryAfterAndClose_skipsThe100AndOpensANewConnectionNext() throws Exception {
    answers.add("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many\r\nRetry-After: 7\r\nConnection: close\r\n"
        + "Content-Length: 4\r\n\r\nslow");
    answers.add(OK);
    try (TcpServer server = TcpServer.start(this::serve); PlainHttp http = client(server, Map.of())) {
      HttpPoster.Response r = http.post(bytes("a"), 1);
      assertEquals(200, http.post(bytes("b"), 1).status());

      assertEquals(429, r.status());
      assertEquals(Duration.ofSeconds(7), r.retryAfter());
      assertArrayEquals(bytes("slow"), r.body());
      assertEquals(2, server.accepted());
    }
  }

  @Test
  void post_http10AnswerWithoutLength_readsToTheEnd() throws Exception {
    answers.add("HTTP/1.0 500 Oops\r\n\r\nall of it");
    answers.add(OK);
    try (TcpServer server = TcpServer.start(this::serveThenCloseOnce); PlainHttp http = client(server, Map.of())) {
      HttpPoster.Response r = http.post(bytes("a"), 1);
      assertEquals(200, http.post(bytes("b"), 1).status());

      assertEquals(500, r.status());
      assertArrayEquals(bytes("all of it"), r.body());
      assertEquals(2, server.accepted());
    }
  }

  @Test
  void post_noAnswer_throwsTimeoutAfterTheReadTimeout() throws Exception {
    try (TcpServer server = TcpServer.start(this::serve);
        PlainHttp http = new PlainHttp(HttpEndpoint.of(URI.create("http://127.0.0.1:" + server.port() + "/"))
            .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)), "application/x-ndjson", 1 << 20)) {
      assertThrows(SocketTimeoutException.class, () -> http.post(bytes("a"), 1)); // no answer queued
    }
  }

  @Test
  void post_answerCutShort_throwsAndDoesNotSendAgain() throws Exception {
    answers.add("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    answers.add("CLOSE");
    try (TcpServer server = TcpServer.start(this::serve); PlainHttp http = client(server, Map.of())) {
      assertThrows(EOFException.class, () -> http.post(bytes("a"), 1));

      assertEquals(1, requests.size());
    }
  }

  @Test
  void post_answerLargerThanTheLimit_keepsItsStartAndTheConnection() throws Exception {
    answers.add("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
    answers.add(OK);
    try (TcpServer server = TcpServer.start(this::serve);
        PlainHttp http = new PlainHttp(HttpEndpoint.of(URI.create("http://127.0.0.1:" + server.port() + "/")),
            "application/x-ndjson", 4)) {
      assertArrayEquals(bytes("0123"), http.post(bytes("a"), 1).body());
      assertEquals(200, http.post(bytes("b"), 1).status());

      assertEquals(1, server.accepted());
    }
  }

  private PlainHttp client(TcpServer server, Map<String, String> headers) {
    HttpEndpoint e = HttpEndpoint.of(URI.create("http://127.0.0.1:" + server.port() + "/in/x?a=b")).withHeaders(headers);
    return new PlainHttp(e, "application/x-ndjson", 1 << 20);
  }

  /** Reads requests (head, then a Content-Length body) and writes the queued answers until told to close. */
  private void serve(Socket s) throws IOException, InterruptedException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    while (true) {
      String request = readRequest(in);
      if (request == null) {
        return;
      }
      requests.add(request);
      String answer = answers.poll(30, TimeUnit.SECONDS);
      if (answer == null) {
        return;
      }
      out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if ("CLOSE".equals(answers.peek())) {
        answers.take();
        return;
      }
    }
  }

  /** Answers one request, then closes: an HTTP/1.0 server. */
  private void serveThenCloseOnce(Socket s) throws IOException, InterruptedException {
    String request = readRequest(s.getInputStream());
    if (request != null) {
      requests.add(request);
      s.getOutputStream().write(answers.take().getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      if ((b = in.read()) < 0) {
        return null;
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
