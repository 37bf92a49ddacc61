package dev.podkit.logformat;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings some input formats need besides their name.
 *
 * @param zone the zone of timestamps written without one (RFC 3164, a regex's time format)
 * @param clock what RFC 3164 takes the year from
 * @param regex the expression of the {@code regex} format, with named groups; null for others
 * @param timeFormat how the {@code regex} format reads its time group; null for RFC 3339 or epoch
 * @param maxMergedBytes the bound of an event merged from CRI or Docker parts
 */
public record FormatOptions(
    ZoneId zone, Clock clock, Pattern regex, DateTimeFormatter timeFormat, int maxMergedBytes) {
  public FormatOptions {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(clock, "clock");
    if (maxMergedBytes < 1) {
      throw new IllegalArgumentException("maxMergedBytes < 1: " + maxMergedBytes);
    }
  }

  /** The system's zone and clock, no regex, and merged events bounded at 1 MiB. */
  public static FormatOptions defaults() {
    return new FormatOptions(ZoneId.systemDefault(), Clock.systemUTC(), null, null, 1024 * 1024);
  }

  /** These options with the {@code regex} format's expression and time format (may be null). */
  public FormatOptions withRegex(Pattern regex, DateTimeFormatter timeFormat) {
    return new FormatOptions(zone, clock, regex, timeFormat, maxMergedBytes);
  }

  /** These options with another zone and clock. */
  public FormatOptions withTime(ZoneId zone, Clock clock) {
    return new FormatOptions(zone, clock, regex, timeFormat, maxMergedBytes);
  }

  /** These options with another merge bound. */
  public FormatOptions withMaxMergedBytes(int maxMergedBytes) {
    return new FormatOptions(zone, clock, regex, timeFormat, maxMergedBytes);
  }
}
