package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
  @Test
  void parse_unitsArePowersOf1024_withOrWithoutIAndB() {
    assertEquals(512, ByteSizes.parse("512"));
    assertEquals(64 * 1024, ByteSizes.parse("64k"));
    assertEquals(64 * 1024, ByteSizes.parse("64Ki"));
    assertEquals(100L << 20, ByteSizes.parse("100Mi"));
    assertEquals(100L << 20, ByteSizes.parse("100MB"));
    assertEquals(2L << 30, ByteSizes.parse(" 2G "));
  }

  @Test
  void parse_garbageNegativeOrOverflow_rejectedWithTheText() {
    for (String bad : new String[] {"", "Mi", "ten", "-1", "1.5Mi", "99999999999999T"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(bad), bad);
      assertEquals(true, e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void format_shortestExactUnit() {
    assertEquals("100Mi", ByteSizes.format(100L << 20));
    assertEquals("1536", ByteSizes.format(1536));
    assertEquals("0", ByteSizes.format(0));
  }
}
