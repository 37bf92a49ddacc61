package dev.podkit.logshipper.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.podkit.logshipper.Event;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {
  @Test
  void ids_sameEvents_sameIdsEveryTime() {
    List<Event> list = Events.batch("a", "b", "c").events();

    assertArrayEquals(new DocumentIds().ids(list), new DocumentIds().ids(list));
    assertEquals(20, new DocumentIds().ids(list)[0].length());
  }

  @Test
  void ids_equalEventsInOneBatch_getDistinctIds() {
    Event e = Events.event("same", 1, "/a.log", null);

    String[] ids = new DocumentIds().ids(List.of(e, e, e));

    assertEquals(3, Set.of(ids).size());
  }

  @Test
  void ids_pathTimeOrMessageDiffers_idDiffers() {
    String[] ids = new DocumentIds().ids(List.of(Events.event("ab", 1, "/a", null), Events.event("b", 1, "/aa", null),
        Events.event("ab", 2, "/a", null), Events.event("ab", 1, "/b", null)));

    assertEquals(4, Set.of(ids).size());
    assertNotEquals(ids[0], ids[1]);
  }
}
