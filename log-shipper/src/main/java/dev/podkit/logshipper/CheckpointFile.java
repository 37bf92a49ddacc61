package dev.podkit.logshipper;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import dev.podkit.runtime.JsonOut;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint file's format, one JSON object with one line per watched path:
 *
 * <pre>{@code
 * {"version":1,"files":[
 * {"path":"/var/log/app.log","dev":2049,"ino":1234,"offset":5678,"headLength":1024,"headHash":-42,"tailLength":1024,"tailHash":17}
 * ]}
 * }</pre>
 *
 * Fields are those of {@link Position}; hashes are signed 64-bit numbers. Reading ignores unknown
 * fields, so a later version 1 writer may add some; anything else new needs a new version.
 */
final class CheckpointFile {
  static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] VERSION_KEY = JsonOut.key("version");
  private static final byte[] FILES_KEY = JsonOut.key("files");
  private static final byte[] PATH = JsonOut.key("path");
  private static final byte[] DEV = JsonOut.key("dev");
  private static final byte[] INO = JsonOut.key("ino");
  private static final byte[] OFFSET = JsonOut.key("offset");
  private static final byte[] HEAD_LENGTH = JsonOut.key("headLength");
  private static final byte[] HEAD_HASH = JsonOut.key("headHash");
  private static final byte[] TAIL_LENGTH = JsonOut.key("tailLength");
  private static final byte[] TAIL_HASH = JsonOut.key("tailHash");
  /** The number fields of one entry, in the order of {@link #entry}'s array. */
  private static final String[] NUMBERS = {"dev", "ino", "offset", "headLength", "headHash", "tailLength", "tailHash"};

  private CheckpointFile() {}

  /** The file's bytes for {@code positions}, in their iteration order. */
  static byte[] encode(Map<String, Position> positions) {
    JsonOut o = new JsonOut();
    o.raw('{').raw(VERSION_KEY).number(VERSION).raw(',').raw(FILES_KEY).raw('[');
    boolean first = true;
    for (Map.Entry<String, Position> e : positions.entrySet()) {
      Position p = e.getValue();
      if (!first) {
        o.raw(',');
      }
      first = false;
      o.raw('\n');
      o.raw('{').raw(PATH).string(e.getKey());
      o.raw(',').raw(DEV).number(p.file().dev()).raw(',').raw(INO).number(p.file().ino());
      o.raw(',').raw(OFFSET).number(p.offset());
      o.raw(',').raw(HEAD_LENGTH).number(p.headLength()).raw(',').raw(HEAD_HASH).number(p.headHash());
      o.raw(',').raw(TAIL_LENGTH).number(p.tailLength()).raw(',').raw(TAIL_HASH).number(p.tailHash());
      o.raw('}');
    }
    o.raw('\n').raw(']').raw('}').raw('\n');
    return o.toBytes();
  }

  /**
   * The positions {@code json} holds, by path, in file order.
   *
   * @throws JsonProcessingException if it is not a complete version 1 file, with the reason
   */
  static Map<String, Position> decode(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      check(p, p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
      boolean versioned = false;
      Map<String, Position> files = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("version")) {
          check(p, value == JsonToken.VALUE_NUMBER_INT, "version is not an integer");
          // Checked at once: the rest of an unknown version may mean something else.
          check(p, p.getLongValue() == VERSION, "unsupported version: " + p.getText());
          versioned = true;
        } else if (field.equals("files")) {
          files = files(p);
        } else {
          p.skipChildren();
        }
      }
      check(p, p.currentToken() == JsonToken.END_OBJECT, "truncated");
      check(p, p.nextToken() == null, "content after the object");
      check(p, versioned, "no version");
      check(p, files != null, "no files");
      return files;
    }
  }

  private static Map<String, Position> files(JsonParser p) throws IOException {
    check(p, p.currentToken() == JsonToken.START_ARRAY, "files is not an array");
    Map<String, Position> files = new LinkedHashMap<>();
    for (int i = 0; p.nextToken() == JsonToken.START_OBJECT; i++) {
      String path = null;
      long[] numbers = new long[NUMBERS.length];
      int seen = 0; // bit n set once NUMBERS[n] is read
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        int n = Arrays.asList(NUMBERS).indexOf(field);
        if (field.equals("path")) {
          check(p, value == JsonToken.VALUE_STRING, "files[" + i + "].path is not a string");
          path = p.getText();
        } else if (n >= 0) {
          check(p, value == JsonToken.VALUE_NUMBER_INT, "files[" + i + "]." + field + " is not an integer");
          numbers[n] = p.getLongValue();
          seen |= 1 << n;
        } else {
          p.skipChildren();
        }
      }
      check(p, path != null, "files[" + i + "] has no path");
      for (int n = 0; n < NUMBERS.length; n++) {
        check(p, (seen & 1 << n) != 0, "files[" + i + "] has no " + NUMBERS[n]);
      }
      files.put(path, entry(p, i, numbers));
    }
    check(p, p.currentToken() == JsonToken.END_ARRAY, "files holds a non-object");
    return files;
  }

  private static Position entry(JsonParser p, int i, long[] n) throws JsonParseException {
    check(p, n[3] == (int) n[3] && n[5] == (int) n[5], "files[" + i + "]: a length out of range");
    try {
      return new Position(new FileKey(n[0], n[1]), n[2], (int) n[3], n[4], (int) n[5], n[6]);
    } catch (IllegalArgumentException e) {
      throw new JsonParseException(p, "files[" + i + "]: " + e.getMessage());
    }
  }

  private static void check(JsonParser p, boolean ok, String reason) throws JsonParseException {
    if (!ok) {
      throw new JsonParseException(p, reason);
    }
  }
}
