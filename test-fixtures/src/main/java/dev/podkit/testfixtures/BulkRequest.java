package dev.podkit.testfixtures;

import dev.podkit.runtime.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed Elasticsearch {@code _bulk} body: pairs of an action line and a source line, as the
 * fake checks them. A malformed body (no final newline, an action it does not know, a missing
 * {@code _index}) is an {@link IllegalArgumentException}: the whole request gets 400. A source
 * line that is not a JSON object is kept with its parse error: only that item fails, as in
 * Elasticsearch.
 */
final class BulkRequest {
  /** Index names Elasticsearch accepts: lower case, no separators or wildcards, not starting with - _ +. */
  private static final Pattern INDEX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,254}");

  /**
   * One item.
   *
   * @param action create or index
   * @param index the target index
   * @param id the document id, or null to have one made up
   * @param source the source line as sent
   * @param document the parsed source, or null when {@code error} says why it could not be parsed
   * @param error why the source is not a JSON object, else null
   */
  record Item(String action, String index, String id, String source, Map<?, ?> document, String error) {}

  private BulkRequest() {}

  /** Parses {@code body} for {@code POST <pathIndex>/_bulk} ({@code pathIndex} null for {@code /_bulk}). */
  static List<Item> parse(byte[] body, String pathIndex) {
    if (body.length == 0) {
      throw new IllegalArgumentException("request body is required");
    }
    if (body[body.length - 1] != '\n') {
      throw new IllegalArgumentException("The bulk request must be terminated by a newline [\\n]");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length % 2 != 0) {
      throw new IllegalArgumentException("action line " + (lines.length - 1) + " has no source line");
    }
    List<Item> items = new ArrayList<>();
    for (int n = 0; n < lines.length; n += 2) {
      items.add(item(n, lines[n], lines[n + 1], pathIndex));
    }
    return items;
  }

  private static Item item(int line, String actionLine, String source, String pathIndex) {
    Object parsed;
    try {
      parsed = StrictJson.parse(actionLine);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + line + ": malformed action: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> action) || action.size() != 1) {
      throw new IllegalArgumentException("line " + line + ": an action must be an object with one key");
    }
    String name = (String) action.keySet().iterator().next();
    if (!name.equals("create") && !name.equals("index")) {
      throw new IllegalArgumentException("line " + line + ": unsupported action [" + name + "]");
    }
    if (!(action.get(name) instanceof Map<?, ?> meta)) {
      throw new IllegalArgumentException("line " + line + ": [" + name + "] is not an object");
    }
    for (Object k : meta.keySet()) {
      if (!k.equals("_index") && !k.equals("_id")) {
        throw new IllegalArgumentException("line " + line + ": unknown action parameter [" + k + "]");
      }
    }
    Object index = meta.containsKey("_index") ? meta.get("_index") : pathIndex;
    if (!(index instanceof String i) || !INDEX.matcher(i).matches()) {
      throw new IllegalArgumentException("line " + line + ": missing or invalid _index: " + index);
    }
    Object id = meta.get("_id");
    if (id != null && (!(id instanceof String s) || s.isEmpty() || s.getBytes(StandardCharsets.UTF_8).length > 512)) {
      throw new IllegalArgumentException("line " + line + ": invalid _id: " + id);
    }
    try {
      if (StrictJson.parse(source) instanceof Map<?, ?> doc) {
        return new Item(name, i, (String) id, source, doc, null);
      }
      return new Item(name, i, (String) id, source, null, "the source is not a JSON object");
    } catch (IllegalArgumentException e) {
      return new Item(name, i, (String) id, source, null, "failed to parse: " + e.getMessage());
    }
  }
}
