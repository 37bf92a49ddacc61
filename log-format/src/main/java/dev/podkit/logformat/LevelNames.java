package dev.podkit.logformat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The level text of a byte range as a String, without allocating for the level names logs use
 * most ("info", "WARN", "error"...): those come from a table of constants.
 */
final class LevelNames {
  private static final String[] COMMON = {
    "info", "INFO", "Info", "debug", "DEBUG", "Debug", "warn", "WARN", "Warn", "warning",
    "WARNING", "Warning", "error", "ERROR", "Error", "trace", "TRACE", "Trace", "fatal", "FATAL",
    "Fatal", "critical", "CRITICAL", "crit", "err", "notice", "NOTICE", "panic", "PANIC", "alert",
    "emerg", "dbg", "I", "W", "E", "D", "F", "0", "1", "2", "3", "4", "5", "6", "7"
  };
  private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

  static {
    for (int i = 0; i < COMMON.length; i++) {
      COMMON_BYTES[i] = COMMON[i].getBytes(StandardCharsets.US_ASCII);
    }
  }

  private LevelNames() {}

  /** The text of {@code b[start, end)}, a shared constant where it is a common level name. */
  static String of(byte[] b, int start, int end) {
    int n = end - start;
    for (int i = 0; i < COMMON_BYTES.length; i++) {
      byte[] candidate = COMMON_BYTES[i];
      if (candidate.length == n && Arrays.equals(candidate, 0, n, b, start, end)) {
        return COMMON[i];
      }
    }
    return new String(b, start, n, StandardCharsets.UTF_8);
  }
}
