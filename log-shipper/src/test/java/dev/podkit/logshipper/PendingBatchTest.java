package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import dev.podkit.testfixtures.FakeTicker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Positions a cut carries for files it holds no line of (a hand-over, a file renamed at a
 * rotation), and when the linger is up.
 */
class PendingBatchTest {
  private static final Position OLD = new Position(new FileKey(1, 10), 500, 100, 1, 100, 2);
  private static final Position NEW = new Position(new FileKey(1, 11), 40, 40, 3, 40, 4);
  private final BatchQueue queue = new BatchQueue(1 << 20);
  private final Map<String, Position> followed = new HashMap<>();
  private final FakeTicker ticker = new FakeTicker();
  private final PendingBatch pending = new PendingBatch(new BatchPolicy(100, 1 << 20, Duration.ofSeconds(1)), queue,
      ticker, path -> Optional.ofNullable(followed.get(path)), null, lines -> {});

  @Test
  void cut_onlyTouched_queuesABatchOfNoLinesWithThePosition() throws InterruptedException {
    followed.put("/logs/access.log.1", OLD);
    assertTrue(pending.isEmpty());
    pending.touch("/logs/access.log.1");
    assertFalse(pending.isEmpty());
    pending.cut();
    BatchQueue.Item item = queue.take();
    assertEquals(0, item.batch().lines());
    assertEquals(Map.of("/logs/access.log.1", OLD), item.positions());
    assertTrue(pending.isEmpty());
  }

  @Test
  void cut_placedForAPathWhoseFollowerHasNoFile_carriesThePlacedPosition_withTheLines() throws InterruptedException {
    followed.put("/logs/access.log", NEW);
    pending.add(new Event("b1".getBytes(), 0, "/logs/access.log", null, false));
    pending.place("/logs/access.log.1", OLD);
    pending.cut();
    BatchQueue.Item item = queue.take();
    assertEquals(1, item.batch().lines());
    assertEquals(Map.of("/logs/access.log", NEW, "/logs/access.log.1", OLD), item.positions());
  }

  @Test
  void cut_placedButTheFollowerReadOnInTheSameFile_carriesTheFollowersPosition() throws InterruptedException {
    Position further = new Position(OLD.file(), 600, 100, 1, 100, 5);
    followed.put("/logs/access.log.1", further);
    pending.place("/logs/access.log.1", OLD);
    pending.cut();
    assertEquals(Map.of("/logs/access.log.1", further), queue.take().positions());
  }

  @Test
  void cut_placedButTheFollowerStillHoldsAnotherFile_carriesThePlacedPosition() throws InterruptedException {
    followed.put("/logs/access.log.1", NEW);
    pending.place("/logs/access.log.1", OLD);
    pending.cut();
    assertEquals(Map.of("/logs/access.log.1", OLD), queue.take().positions());
  }

  @Test
  void lingered_fromTheFirstLineOfTheBatch_notTheLast_andAgainAfterACut() throws InterruptedException {
    assertFalse(pending.lingered(), "no line: nothing waits");
    pending.add(new Event("a".getBytes(), 0, "/logs/a.log", null, false));
    ticker.advance(Duration.ofMillis(600));
    pending.add(new Event("b".getBytes(), 0, "/logs/a.log", null, false));
    ticker.advance(Duration.ofMillis(399));
    assertFalse(pending.lingered(), "999 ms after the first line");
    ticker.advance(Duration.ofMillis(1));
    assertTrue(pending.lingered(), "1 s after the first line, though 400 ms after the last");
    pending.cut();
    assertEquals(2, queue.take().batch().lines());
    assertFalse(pending.lingered(), "cut: nothing waits");
    ticker.advance(Duration.ofSeconds(5));
    pending.add(new Event("c".getBytes(), 0, "/logs/a.log", null, false));
    assertFalse(pending.lingered(), "the next batch's wait begins at its first line");
  }
}
