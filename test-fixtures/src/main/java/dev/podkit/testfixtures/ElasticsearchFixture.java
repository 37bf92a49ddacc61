package dev.podkit.testfixtures;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.podkit.runtime.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fake Elasticsearch {@code _bulk} endpoint on loopback. It checks the NDJSON bulk format (see
 * {@link BulkRequest}), stores documents by {@code _id} (a second {@code create} of an id gets a
 * per-item 409), checks each document against the fields seen before in its index (a field that
 * was an object and is now a value, or a bad {@code @timestamp}, gets a per-item 400
 * {@code mapper_parsing_exception}) and answers in the real response shape
 * {@code {"took":..,"errors":..,"items":[{"create":{"_index":..,"_id":..,"status":..}}]}}.
 *
 * <p>A test makes chosen items fail: {@link #failItems} gives every item whose {@code message}
 * contains a marker a status (429 the first time, 400 always...), and {@link #failNext} answers
 * whole requests with an error status; {@link #loseNextAnswers} carries requests out but answers
 * an error, to check that a sink's retry is idempotent.
 */
public final class ElasticsearchFixture implements AutoCloseable {
  private record Rule(String marker, int status, int times) {}

  private final HttpServer server;
  // Guarded by this.
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> mappings = new LinkedHashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  /** How often each rule has failed each item so far, keyed by rule index and item id. */
  private final Map<String, Integer> failedSoFar = new LinkedHashMap<>();
  private final List<Integer> itemStatuses = new ArrayList<>();
  private final List<String> rejections = new ArrayList<>();
  private int requests;
  private int failNext;
  private int failStatus;
  private int loseNext;
  private int loseStatus;

  public ElasticsearchFixture() {
    server = LoopbackHttp.start(0, this::handle);
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return LoopbackHttp.url(server);
  }

  /**
   * Gives each item whose document's {@code message} contains {@code marker} the per-item
   * {@code status}, the first {@code times} times that item (by {@code _id}) is sent;
   * {@link Integer#MAX_VALUE} for always.
   */
  public synchronized void failItems(String marker, int status, int times) {
    rules.add(new Rule(marker, status, times));
  }

  /** Answers the next {@code requests} well-formed requests with {@code status} as a whole. */
  public synchronized void failNext(int requests, int status) {
    failNext = requests;
    failStatus = status;
  }

  /**
   * Carries out the next {@code requests} well-formed requests (documents are stored) but
   * answers {@code status} instead of the bulk answer: an answer lost on the way, as when a
   * proxy times out.
   */
  public synchronized void loseNextAnswers(int requests, int status) {
    loseNext = requests;
    loseStatus = status;
  }

  /** The stored documents' source lines by {@code _id}, in the order they were first stored. */
  public synchronized Map<String, String> sources() {
    return new LinkedHashMap<>(sources);
  }

  /** Every per-item status answered, in order. */
  public synchronized List<Integer> itemStatuses() {
    return List.copyOf(itemStatuses);
  }

  /** Requests that reached the bulk logic (well-formed, not failed on purpose). */
  public synchronized int requests() {
    return requests;
  }

  /** The reason of every request refused as malformed (400), in order. */
  public synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (!path.equals("/_bulk") && !path.matches("/[^/]+/_bulk")) {
        answer(x, 404, error("index_not_found_exception", "no handler for " + path, 404));
        return;
      }
      if (!x.getRequestMethod().equals("POST") && !x.getRequestMethod().equals("PUT")) {
        answer(x, 405, error("method_not_allowed", "Incorrect HTTP method for uri [" + path + "]", 405));
        return;
      }
      List<BulkRequest.Item> items;
      try {
        String type = String.valueOf(x.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-ndjson") && !type.startsWith("application/json")) {
          throw new IllegalArgumentException("Content-Type header [" + type + "] is not supported");
        }
        items = BulkRequest.parse(RequestBody.read(x), path.equals("/_bulk") ? null : path.substring(1, path.indexOf("/_bulk")));
      } catch (IllegalArgumentException e) {
        synchronized (this) {
          rejections.add(e.getMessage());
        }
        answer(x, 400, error("illegal_argument_exception", e.getMessage(), 400));
        return;
      }
      int status = 200;
      String json;
      synchronized (this) {
        if (failNext > 0) {
          failNext--;
          status = failStatus;
          json = error("failing_on_purpose", "failing on purpose", status);
        } else {
          json = bulk(items);
          if (loseNext > 0) {
            loseNext--;
            status = loseStatus;
            json = error("answer_lost_on_purpose", "the request was carried out, the answer lost", status);
          }
        }
      }
      answer(x, status, json);
    }
  }

  private synchronized String bulk(List<BulkRequest.Item> items) {
    requests++;
    StringBuilder out = new StringBuilder("{\"took\":1,\"errors\":");
    int errorsAt = out.length();
    out.append("false,\"items\":[");
    boolean errors = false;
    for (int n = 0; n < items.size(); n++) {
      BulkRequest.Item item = items.get(n);
      String id = item.id() != null ? item.id() : UUID.randomUUID().toString();
      String[] failure = failure(item, id);
      int status = failure != null ? Integer.parseInt(failure[0]) : store(item, id);
      itemStatuses.add(status);
      errors |= status >= 300;
      out.append(n == 0 ? "{" : ",{");
      Json.string(out, item.action()).append(":{\"_index\":");
      Json.string(out, item.index()).append(",\"_id\":");
      Json.string(out, id).append(",\"status\":").append(status);
      if (status == 409) {
        failure = new String[] {"409", "version_conflict_engine_exception", "[" + id + "]: version conflict, document already exists (current version [1])"};
      }
      if (status >= 300) {
        out.append(",\"error\":{\"type\":");
        Json.string(out, failure[1]).append(",\"reason\":");
        Json.string(out, failure[2]).append(",\"index\":");
        Json.string(out, item.index()).append('}');
      } else {
        out.append(",\"_version\":1,\"result\":").append(status == 201 ? "\"created\"" : "\"updated\"");
      }
      out.append("}}");
    }
    if (errors) {
      out.replace(errorsAt, errorsAt + 5, "true");
    }
    return out.append("]}").toString();
  }

  /** {status, type, reason} when a rule or the document's fields make {@code item} fail, else null. */
  private String[] failure(BulkRequest.Item item, String id) {
    if (item.document() == null) {
      return new String[] {"400", "mapper_parsing_exception", item.error()};
    }
    Object message = item.document().get("message");
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      if (message instanceof String m && m.contains(rule.marker())) {
        int so = failedSoFar.merge(r + "/" + id, 1, Integer::sum);
        if (so <= rule.times()) {
          return new String[] {Integer.toString(rule.status()), type(rule.status()), "failing on purpose: " + rule.marker()};
        }
      }
    }
    String conflict = DynamicMapping.check(item.document(), mappings.computeIfAbsent(item.index(), i -> new LinkedHashMap<>()));
    return conflict == null ? null : new String[] {"400", "mapper_parsing_exception", conflict};
  }

  private int store(BulkRequest.Item item, String id) {
    if (item.action().equals("create") && sources.containsKey(id)) {
      return 409;
    }
    boolean created = sources.put(id, item.source()) == null;
    return created ? 201 : 200;
  }

  private static String type(int status) {
    return switch (status) {
      case 429 -> "es_rejected_execution_exception";
      case 400 -> "mapper_parsing_exception";
      default -> "unavailable_shards_exception";
    };
  }

  private static String error(String type, String reason, int status) {
    StringBuilder b = new StringBuilder("{\"error\":{\"type\":");
    Json.string(b, type).append(",\"reason\":");
    Json.string(b, reason).append("},\"status\":").append(status).append('}');
    return b.toString();
  }

  private void answer(HttpExchange x, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
