package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchQueueTest {
  private static Batch lines(int count, int length) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(new Event(new byte[length], 0, "/var/log/a.log", null, false));
    }
    return Batch.of(events);
  }

  @Test
  void heapBytes_shortLines_countTheirObjectsNotOnlyTheirBytes() {
    Batch batch = lines(1000, 10);
    assertEquals(10_000, batch.bytes());
    // 10 bytes round up to 16, plus the event's objects: several times the text.
    assertEquals(1000L * (16 + Batch.EVENT_OVERHEAD), batch.heapBytes());
  }

  @Test
  void hasRoom_isFalseOnceQueuedHeapReachesTheLimit_andTrueAgainWhenDone() throws InterruptedException {
    Batch batch = lines(1000, 10); // 10,000 message bytes, 80,000 heap bytes
    BatchQueue queue = new BatchQueue(50_000);
    assertTrue(queue.hasRoom());
    queue.put(new BatchQueue.Item(batch, Map.of()));
    assertEquals(batch.heapBytes(), queue.bytes());
    assertFalse(queue.hasRoom(), "the message bytes alone (10,000) would have left room");
    BatchQueue.Item taken = queue.take();
    assertFalse(queue.hasRoom(), "a batch in delivery still counts");
    queue.done(taken);
    assertTrue(queue.hasRoom());
    assertEquals(0, queue.bytes());
  }
}
