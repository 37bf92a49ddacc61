package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RelativePathsTest {
  @Test
  void check_nestedName_returnsSegments() {
    assertArrayEquals(new String[] {"conf.d", "a.conf"}, RelativePaths.check("conf.d/a.conf"));
  }

  @Test
  void check_dotFile_accepted() {
    assertArrayEquals(new String[] {".env"}, RelativePaths.check(".env"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "/etc/passwd|absolute file name: /etc/passwd",
        "../x|'..' segment in file name: ../x",
        "a/../../x|'..' segment in file name: a/../../x",
        "a/./b|'.' segment in file name: a/./b",
        "a//b|empty segment in file name: a//b",
        "a/|empty segment in file name: a/",
        "..data|file name starts with '..', reserved for the layout: ..data",
        "..2025_01_01_00_00_00.000000000/x|file name starts with '..', reserved for the layout: ..2025_01_01_00_00_00.000000000/x",
        "a\\b|backslash in file name: a\\b"
      })
  void check_badName_rejectedWithReason(String name, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelativePaths.check(name));
    assertEquals(message, e.getMessage());
  }

  @Test
  void check_emptyName_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelativePaths.check(""));
    assertEquals("empty file name", e.getMessage());
  }
}
