package dev.podkit.testfixtures;

import dev.podkit.runtime.StrictJson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A fake Loki on loopback: the JSON push endpoint ({@code POST /loki/api/v1/push}) that checks
 * every push strictly, answers 400 with the reason on any violation and 204 on success, and
 * records the accepted entries. A test can make it answer an error (503, 429 with Retry-After)
 * for the next pushes, to play an overloaded Loki.
 *
 * <p>What it checks: {@code Content-Type: application/json}; an optional gzip encoding; a body
 * {@code {"streams":[...]}} where each stream has a non-empty {@code "stream"} object of label
 * name (matching {@code [a-zA-Z_][a-zA-Z0-9_]*}, not {@code __reserved}) to non-empty string
 * value, and a non-empty {@code "values"} array of {@code [ns, line]} or {@code [ns, line, {meta}]}
 * where {@code ns} is a string of digits (a JSON number gets 400, as in Loki) and the metadata is
 * a flat string to string object.
 */
public final class LokiFixture implements AutoCloseable {
  /** Where the push endpoint listens. */
  public static final String PUSH_PATH = "/loki/api/v1/push";
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  /**
   * One accepted log entry.
   *
   * @param labels the stream's labels
   * @param timestamp the nanosecond timestamp, as sent (a string of digits)
   * @param line the log line
   * @param metadata the structured metadata, empty when none was sent
   * @param tenant the push's X-Scope-OrgID header, or null
   */
  public record Entry(Map<String, String> labels, String timestamp, String line, Map<String, String> metadata,
      String tenant) {}

  private final HttpServer server;
  // Guarded by this: what was accepted and refused, and the failure mode.
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> rejections = new ArrayList<>();
  private int pushes;
  private int failures;
  private int failNext;
  private int failStatus;
  private String failRetryAfter;

  public LokiFixture() {
    server = LoopbackHttp.start(0, this::handle);
  }

  /** The base URL, {@code http://127.0.0.1:<port>} (a sink appends the push path). */
  public String url() {
    return LoopbackHttp.url(server);
  }

  /**
   * Answers the next {@code pushes} valid pushes with {@code status} (and a Retry-After header
   * when {@code retryAfter} is not null) instead of accepting them; invalid pushes still get 400.
   */
  public synchronized void failNext(int pushes, int status, String retryAfter) {
    failNext = pushes;
    failStatus = status;
    failRetryAfter = retryAfter;
  }

  /** Every accepted entry, in arrival order. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The lines of the accepted entries, in arrival order. */
  public synchronized List<String> lines() {
    return entries.stream().map(Entry::line).toList();
  }

  /** Pushes accepted (answered 204). */
  public synchronized int pushes() {
    return pushes;
  }

  /** Pushes answered with the failure status set by {@link #failNext}. */
  public synchronized int failures() {
    return failures;
  }

  /** The reason of every push refused as invalid (400), in order. */
  public synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      if (!x.getRequestURI().getPath().equals(PUSH_PATH)) {
        answer(x, 404, "404 page not found", null);
        return;
      }
      if (!x.getRequestMethod().equals("POST")) {
        answer(x, 405, "method not allowed", null);
        return;
      }
      byte[] body;
      List<Entry> parsed;
      try {
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
          throw new IllegalArgumentException("Content-Type is not application/json: " + type);
        }
        body = RequestBody.read(x);
        parsed = entries(StrictJson.parse(body), x.getRequestHeaders().getFirst("X-Scope-OrgID"));
      } catch (IllegalArgumentException e) {
        synchronized (this) {
          rejections.add(e.getMessage());
        }
        answer(x, 400, e.getMessage(), null);
        return;
      }
      synchronized (this) {
        if (failNext > 0) {
          failNext--;
          failures++;
          answer(x, failStatus, "failing on purpose", failRetryAfter);
          return;
        }
        entries.addAll(parsed);
        pushes++;
      }
      answer(x, 204, "", null);
    }
  }

  private static List<Entry> entries(Object root, String tenant) {
    Map<?, ?> top = object(root, "body");
    if (!top.keySet().equals(java.util.Set.of("streams"))) {
      throw new IllegalArgumentException("body must be {\"streams\":[...]}, keys: " + top.keySet());
    }
    List<?> streams = array(top.get("streams"), "streams");
    List<Entry> out = new ArrayList<>();
    for (Object s : streams) {
      Map<?, ?> stream = object(s, "stream entry");
      Map<String, String> labels = flat(stream.get("stream"), "stream labels");
      if (labels.isEmpty()) {
        throw new IllegalArgumentException("stream has no labels");
      }
      for (Map.Entry<String, String> l : labels.entrySet()) {
        if (!LABEL_NAME.matcher(l.getKey()).matches() || l.getKey().startsWith("__")) {
          throw new IllegalArgumentException("invalid label name: " + l.getKey());
        }
        if (l.getValue().isEmpty()) {
          throw new IllegalArgumentException("empty value for label " + l.getKey());
        }
      }
      List<?> values = array(stream.get("values"), "values");
      if (values.isEmpty()) {
        throw new IllegalArgumentException("stream " + labels + " has no values");
      }
      for (Object v : values) {
        out.add(entry(labels, array(v, "value"), tenant));
      }
    }
    return out;
  }

  private static Entry entry(Map<String, String> labels, List<?> v, String tenant) {
    if (v.size() != 2 && v.size() != 3) {
      throw new IllegalArgumentException("a value must be [ts, line] or [ts, line, {metadata}], got " + v.size() + " elements");
    }
    if (v.get(0) instanceof BigDecimal) {
      throw new IllegalArgumentException("timestamp must be a string of nanoseconds, not a number: " + v.get(0));
    }
    if (!(v.get(0) instanceof String ts) || !DIGITS.matcher(ts).matches()) {
      throw new IllegalArgumentException("timestamp is not a string of digits: " + v.get(0));
    }
    if (!(v.get(1) instanceof String line)) {
      throw new IllegalArgumentException("line is not a string: " + v.get(1));
    }
    Map<String, String> meta = v.size() == 3 ? flat(v.get(2), "structured metadata") : Map.of();
    return new Entry(labels, ts, line, meta, tenant);
  }

  private static Map<?, ?> object(Object o, String what) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(what + " is not an object");
    }
    return m;
  }

  private static List<?> array(Object o, String what) {
    if (!(o instanceof List<?> l)) {
      throw new IllegalArgumentException(what + " is not an array");
    }
    return l;
  }

  private static Map<String, String> flat(Object o, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : object(o, what).entrySet()) {
      if (!(e.getValue() instanceof String value)) {
        throw new IllegalArgumentException(what + ": value of " + e.getKey() + " is not a string");
      }
      out.put((String) e.getKey(), value);
    }
    return out;
  }

  private static void answer(HttpExchange x, int status, String text, String retryAfter) throws IOException {
    if (retryAfter != null) {
      x.getResponseHeaders().add("Retry-After", retryAfter);
    }
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, status == 204 || b.length == 0 ? -1 : b.length);
    if (status != 204 && b.length > 0) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
