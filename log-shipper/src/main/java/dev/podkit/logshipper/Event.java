package dev.podkit.logshipper;

/**
 * One line to ship: its bytes (the shipper's own copy, without the newline; raw, possibly
 * invalid UTF-8, which the sinks' JSON writer replaces and counts) and where it came from.
 *
 * @param message the line
 * @param epochNanos when it was read (or the time its format carries), nanoseconds since the epoch
 * @param path the file it was read from
 * @param stream stdout or stderr for container-log formats, else null
 * @param truncated whether the line was longer than the maximum and cut
 */
public record Event(byte[] message, long epochNanos, String path, String stream, boolean truncated) {}
