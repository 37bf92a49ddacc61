package dev.podkit.runtime;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * A named logger that writes one JSON object per line on stdout:
 * {@code {"time":..,"level":..,"logger":..,"message":..,<fields>}}, or a plain line for people.
 *
 * <p>Fields are given as alternating names and values: {@code log.info("ready", "target", t)}.
 * Output settings are process-wide ({@link #configure}), as there is one stdout.
 */
public final class Log {
  /** Severity, in increasing order. */
  public enum Level { DEBUG, INFO, WARN, ERROR }

  /** How lines are written. */
  public enum Format { JSON, TEXT }

  private static final Object LOCK = new Object();
  // Guarded by LOCK. The raw stdout stream: a whole line is written with one write() call.
  private static OutputStream out = new FileOutputStream(FileDescriptor.out);
  private static volatile Format format = Format.JSON;
  private static volatile Level threshold = Level.INFO;

  private final String name;

  private Log(String name) {
    this.name = name;
  }

  /** Returns the logger called {@code name}, for example {@code init-waiter}. */
  public static Log named(String name) {
    return new Log(name);
  }

  /** Sets the format and the lowest level written, for the whole process. */
  public static void configure(Format newFormat, Level newThreshold) {
    format = newFormat;
    threshold = newThreshold;
  }

  /** Sends output to {@code stream} instead of stdout (tests capture lines this way). */
  public static void redirect(OutputStream stream) {
    synchronized (LOCK) {
      out = stream;
    }
  }

  public boolean enabled(Level level) {
    return level.compareTo(threshold) >= 0;
  }

  public void debug(String message, Object... fields) {
    log(Level.DEBUG, message, fields);
  }

  public void info(String message, Object... fields) {
    log(Level.INFO, message, fields);
  }

  public void warn(String message, Object... fields) {
    log(Level.WARN, message, fields);
  }

  public void error(String message, Object... fields) {
    log(Level.ERROR, message, fields);
  }

  /** Writes one line if {@code level} is enabled; {@code fields} alternate names and values. */
  public void log(Level level, String message, Object... fields) {
    if (!enabled(level)) {
      return;
    }
    String line = format == Format.JSON ? json(level, message, fields) : text(level, message, fields);
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    synchronized (LOCK) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        // stdout is gone (closed pipe): there is nowhere left to report it.
      }
    }
  }

  private String json(Level level, String message, Object[] fields) {
    StringBuilder b = new StringBuilder(128);
    b.append("{\"time\":\"").append(Instant.now()).append("\",\"level\":\"").append(level)
        .append("\",\"logger\":");
    Json.string(b, name).append(",\"message\":");
    Json.string(b, message);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      b.append(',');
      Json.string(b, String.valueOf(fields[i])).append(':');
      Json.value(b, fields[i + 1]);
    }
    return b.append("}\n").toString();
  }

  private String text(Level level, String message, Object[] fields) {
    StringBuilder b = new StringBuilder(128);
    b.append(Instant.now()).append(' ').append(String.format(Locale.ROOT, "%-5s", level))
        .append(' ').append(name).append(": ").append(message);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      Object v = fields[i + 1];
      b.append(' ').append(fields[i]).append('=');
      String s = v instanceof java.time.Duration d ? Durations.format(d) : String.valueOf(v);
      b.append(s.contains(" ") || s.isEmpty() ? '"' + s + '"' : s);
    }
    return b.append('\n').toString();
  }
}
