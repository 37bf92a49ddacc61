package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkpoint file format: what is written reads back, and nothing incomplete reads at all. */
class CheckpointFileTest {
  private static Map<String, Position> sample() {
    Map<String, Position> m = new LinkedHashMap<>();
    m.put("/var/log/b.log", new Position(new FileKey(2049, 77), 5678, 1024, Long.MIN_VALUE, 1024, Long.MAX_VALUE));
    m.put("/var/log/a \"quoted\" \u00e9.log", new Position(new FileKey(-1, 0), 0, 0, -42, 0, 0));
    return m;
  }

  private static String decodeError(String json) {
    var e = assertThrows(JsonProcessingException.class,
        () -> CheckpointFile.decode(json.getBytes(StandardCharsets.UTF_8)));
    return e.getOriginalMessage();
  }

  @Test
  void decode_encoded_samePositionsInSameOrder() throws Exception {
    Map<String, Position> decoded = CheckpointFile.decode(CheckpointFile.encode(sample()));
    assertEquals(sample(), decoded);
    assertEquals(List.copyOf(sample().keySet()), List.copyOf(decoded.keySet()));
  }

  @Test
  void encode_twoFiles_versionFirstOneLinePerFile() {
    String json = new String(CheckpointFile.encode(sample()), StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\"version\":1,\"files\":[\n{\"path\":\"/var/log/b.log\",\"dev\":2049,\"ino\":77,"
        + "\"offset\":5678,\"headLength\":1024,\"headHash\":-9223372036854775808,\"tailLength\":1024,"
        + "\"tailHash\":9223372036854775807},\n{"), json);
    assertEquals(4, json.split("\n").length, json);
  }

  @Test
  void decode_noFiles_empty() throws Exception {
    assertEquals(Map.of(), CheckpointFile.decode(CheckpointFile.encode(Map.of())));
  }

  @Test
  void decode_everyPrefixOfAFile_rejected() {
    byte[] full = CheckpointFile.encode(sample());
    int end = new String(full, StandardCharsets.UTF_8).lastIndexOf('}');
    for (int cut = 0; cut < end; cut++) {
      byte[] prefix = Arrays.copyOf(full, cut);
      int at = cut;
      assertThrows(JsonProcessingException.class, () -> CheckpointFile.decode(prefix), () -> "prefix of " + at);
    }
  }

  @Test
  void decode_unknownVersion_rejectedWithVersion() {
    assertEquals("unsupported version: 2", decodeError("{\"version\":2,\"files\":{\"new\":\"layout\"}}"));
  }

  @Test
  void decode_missingField_rejectedNamingIt() {
    assertEquals("files[0] has no offset", decodeError("{\"version\":1,\"files\":[{\"path\":\"/a\",\"dev\":1,\"ino\":2,"
        + "\"headLength\":0,\"headHash\":0,\"tailLength\":0,\"tailHash\":0}]}"));
  }

  @Test
  void decode_invalidPosition_rejectedWithItsMessage() {
    assertEquals("files[0]: tailLength not in [0, offset]: 9", decodeError("{\"version\":1,\"files\":[{\"path\":\"/a\","
        + "\"dev\":1,\"ino\":2,\"offset\":3,\"headLength\":0,\"headHash\":0,\"tailLength\":9,\"tailHash\":0}]}"));
  }

  @Test
  void decode_badShapes_rejected() {
    assertEquals("not a JSON object", decodeError("[]"));
    assertEquals("no version", decodeError("{\"files\":[]}"));
    assertEquals("no files", decodeError("{\"version\":1}"));
    assertEquals("files is not an array", decodeError("{\"version\":1,\"files\":{}}"));
    assertEquals("files holds a non-object", decodeError("{\"version\":1,\"files\":[1]}"));
    assertEquals("version is not an integer", decodeError("{\"version\":\"1\",\"files\":[]}"));
    assertEquals("content after the object", decodeError("{\"version\":1,\"files\":[]} {}"));
  }

  @Test
  void decode_unknownFields_ignored() throws Exception {
    Map<String, Position> m = CheckpointFile.decode(("{\"version\":1,\"writer\":{\"name\":\"x\"},\"files\":[{\"path\":\"/a\","
        + "\"dev\":1,\"ino\":2,\"offset\":3,\"headLength\":0,\"headHash\":0,\"tailLength\":3,\"tailHash\":5,"
        + "\"extra\":[1,2]}]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(Map.of("/a", new Position(new FileKey(1, 2), 3, 0, 0, 3, 5)), m);
  }
}
