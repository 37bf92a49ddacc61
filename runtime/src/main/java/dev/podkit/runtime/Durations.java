package dev.podkit.runtime;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way Go tools and Kubernetes manifests write them: {@code 250ms},
 * {@code 10s}, {@code 2m}, {@code 1h30m}. A bare number is taken as seconds.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private Durations() {}

  /** Returns the duration, or throws {@link IllegalArgumentException} with a message for users. */
  public static Duration parse(String text) {
    String s = text.strip();
    if (s.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    Matcher m = PART.matcher(s);
    long nanos = 0;
    int end = 0;
    while (m.lookingAt()) {
      double n = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> 86_400_000_000_000L;
      };
      nanos = Math.addExact(nanos, (long) (n * unit));
      end = m.end();
      m.region(end, s.length());
    }
    if (s.isEmpty() || end != s.length()) {
      throw new IllegalArgumentException(
          "bad duration '" + text + "' (use a number and a unit: 500ms, 10s, 2m, 1h30m)");
    }
    return Duration.ofNanos(nanos);
  }

  /**
   * An HTTP Retry-After header in its seconds form; null when absent or an HTTP date (rare from
   * the servers podkit posts to: the caller's backoff applies then).
   */
  public static Duration retryAfter(String header) {
    if (header == null || !header.strip().matches("[0-9]{1,9}")) {
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(header.strip()));
  }

  /** Prints a duration in the same syntax, for help texts and logs: {@code 1m30s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() < 1000 || d.toMillisPart() != 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) b.append(d.toHours()).append('h');
    if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
    if (d.toSecondsPart() > 0) b.append(d.toSecondsPart()).append('s');
    return b.toString();
  }
}
