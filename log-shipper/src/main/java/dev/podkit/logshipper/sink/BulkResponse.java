package dev.podkit.logshipper.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The per-item results of an Elasticsearch {@code _bulk} answer
 * ({@code {"took":..,"errors":..,"items":[{"create":{"status":..,"error":{"type":..}}}]}}), read
 * with a streaming parser: an HTTP 200 can still carry failed items.
 *
 * @param statuses each item's status, in request order
 * @param errorTypes each item's {@code error.type}, or null when it has none
 */
record BulkResponse(int[] statuses, String[] errorTypes) {
  private static final JsonFactory JSON = new JsonFactory();

  /** Reads {@code body}, which must hold exactly {@code items} items; throws when it does not. */
  static BulkResponse parse(byte[] body, int items) throws IOException {
    int[] statuses = new int[items];
    String[] types = new String[items];
    int n = 0;
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("items")) {
          p.skipChildren();
          continue;
        }
        expect(value, JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          if (n == items) {
            throw new IOException("bulk answer has more than " + items + " items");
          }
          // {"create": {...}}: one field, the action, whose object holds status and error.
          expect(p.nextToken(), JsonToken.FIELD_NAME);
          expect(p.nextToken(), JsonToken.START_OBJECT);
          item(p, statuses, types, n++);
          for (JsonToken t; (t = p.nextToken()) != JsonToken.END_OBJECT; ) {
            if (t == null) {
              throw new IOException("bulk answer ends inside item " + n);
            }
            p.skipChildren();
          }
        }
      }
    }
    if (n != items) {
      throw new IOException("bulk answer has " + n + " items for " + items);
    }
    return new BulkResponse(statuses, types);
  }

  private static void item(JsonParser p, int[] statuses, String[] types, int n) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("status") && value == JsonToken.VALUE_NUMBER_INT) {
        statuses[n] = p.getIntValue();
      } else if (field.equals("error") && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          if (p.nextToken() == JsonToken.VALUE_STRING && f.equals("type")) {
            types[n] = p.getText();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    if (statuses[n] == 0) {
      throw new IOException("bulk answer item " + n + " has no status");
    }
  }

  private static void expect(JsonToken got, JsonToken wanted) throws IOException {
    if (got != wanted) {
      throw new IOException("bulk answer: expected " + wanted + ", got " + got);
    }
  }
}
