package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BulkResponseTest {
  private static final String ANSWER = """
      {"took":30,"errors":true,"items":[
       {"create":{"_index":"logs","_id":"a","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},
       {"create":{"_index":"logs","_id":"b","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[b]: version conflict","index_uuid":"x","shard":"0","index":"logs"}}},
       {"create":{"_index":"logs","_id":"c","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution","caused_by":{"type":"x","reason":"y"}}}},
       {"create":{"_index":"logs","_id":"d","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [n]"}}}
      ]}""";

  @Test
  void bulkResponse_mixedItems_readsStatusAndErrorTypeInOrder() throws Exception {
    BulkResponse r = BulkResponse.parse(ANSWER.getBytes(StandardCharsets.UTF_8), 4);

    assertArrayEquals(new int[] {201, 409, 429, 400}, r.statuses());
    assertArrayEquals(new String[] {null, "version_conflict_engine_exception", "es_rejected_execution_exception",
        "mapper_parsing_exception"}, r.errorTypes());
  }

  @Test
  void bulkResponse_fewerItemsThanSent_throws() {
    assertThrows(IOException.class, () -> BulkResponse.parse(ANSWER.getBytes(StandardCharsets.UTF_8), 5));
  }

  @Test
  void bulkResponse_moreItemsThanSent_throws() {
    assertThrows(IOException.class, () -> BulkResponse.parse(ANSWER.getBytes(StandardCharsets.UTF_8), 3));
  }

  @Test
  void bulkResponse_cutShort_throws() {
    byte[] cut = ANSWER.substring(0, ANSWER.length() / 2).getBytes(StandardCharsets.UTF_8);

    assertThrows(IOException.class, () -> BulkResponse.parse(cut, 4));
  }

  @Test
  void bulkResponse_notJson_throws() {
    assertThrows(IOException.class, () -> BulkResponse.parse("<html>502</html>".getBytes(StandardCharsets.UTF_8), 1));
  }
}
