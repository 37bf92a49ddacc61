package dev.podkit.testfixtures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little of Elasticsearch's dynamic mapping that {@link ElasticsearchFixture} plays: each
 * field's kind (object, string, number, boolean) is fixed by its first use in an index, dotted
 * names stand for nested objects, and {@code @timestamp} must be a date. A document that breaks
 * these gets a per-item 400 {@code mapper_parsing_exception}, as a real node would answer.
 */
final class DynamicMapping {
  private DynamicMapping() {}

  /** Null when {@code doc} fits {@code fields} (which it then extends), else why not. */
  static String check(Map<?, ?> doc, Map<String, String> fields) {
    Map<String, String> seen = new LinkedHashMap<>();
    String why = flatten("", doc, seen);
    if (why != null) {
      return why;
    }
    for (Map.Entry<String, String> f : seen.entrySet()) {
      String known = fields.get(f.getKey());
      // A number sent to a string field is coerced to text; every other change fails.
      if (known != null && !known.equals(f.getValue()) && !(known.equals("string") && f.getValue().equals("number"))) {
        return "failed to parse field [" + f.getKey() + "]: mapped as " + known + ", got " + f.getValue();
      }
    }
    fields.putAll(seen);
    return null;
  }

  private static String flatten(String prefix, Map<?, ?> doc, Map<String, String> out) {
    for (Map.Entry<?, ?> e : doc.entrySet()) {
      String name = (String) e.getKey();
      if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
        return "field name cannot be empty or have empty parts: [" + name + "]";
      }
      // A dotted name stands for nested objects, as Elasticsearch reads it.
      String[] parts = name.split("\\.");
      String path = prefix;
      for (int i = 0; i < parts.length - 1; i++) {
        path = path.isEmpty() ? parts[i] : path + "." + parts[i];
        String why = put(out, path, "object");
        if (why != null) return why;
      }
      path = path.isEmpty() ? parts[parts.length - 1] : path + "." + parts[parts.length - 1];
      Object v = e.getValue() instanceof List<?> l && !l.isEmpty() ? l.get(0) : e.getValue();
      if (v instanceof Map<?, ?> m) {
        String why = put(out, path, "object");
        if (why == null) why = flatten(path, m, out);
        if (why != null) return why;
      } else if (v != null) {
        if (path.equals("@timestamp") && !validTime(v)) {
          return "failed to parse field [@timestamp] of type [date]: " + v;
        }
        String why = put(out, path, v instanceof String ? "string" : v instanceof Boolean ? "boolean" : "number");
        if (why != null) return why;
      }
    }
    return null;
  }

  private static String put(Map<String, String> out, String path, String kind) {
    String had = out.putIfAbsent(path, kind);
    return had == null || had.equals(kind) ? null
        : "can't merge a non object mapping [" + path + "] with an object mapping";
  }

  private static boolean validTime(Object v) {
    try {
      java.time.OffsetDateTime.parse((String) v);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
