package dev.podkit.logformat;

import java.util.Arrays;

/**
 * One log event as a parser leaves it: the source line, the event's time, severity and message,
 * and named fields in the order they were added. Text values are byte ranges of the source line
 * where possible (no copy, no decoding; the writer escapes and validates them) or Strings;
 * numbers stay numbers. One instance is reused for every line of a pipeline: not thread-safe.
 *
 * <p>Field names are the canonical ones of {@link Fields} where a meaning is shared between
 * formats (status, bytes, method...), so the output schemas can map them.
 */
public final class LogRecord {
  /** How a field's value is held. */
  public enum Kind {
    /** Text: bytes [start, end) of the source line, raw UTF-8 (escaped when written). */
    TEXT_RANGE,
    /** Text held as a String. */
    TEXT,
    /** A whole number. */
    LONG,
    /** A decimal number (finite). */
    DOUBLE,
    /** true or false. */
    BOOL,
    /** Bytes [start, end) of the source line that are already a valid JSON value (object, array). */
    JSON_RANGE
  }

  private byte[] src = new byte[0];
  private int srcStart;
  private int srcEnd;

  private boolean hasTime;
  private long timeSeconds;
  private int timeNanos;
  private String severity;
  private int messageStart = -1;
  private int messageEnd;
  private String messageText;
  private boolean parseError;

  private int size;
  private String[] names = new String[16];
  private Kind[] kinds = new Kind[16];
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private long[] longs = new long[16];
  private double[] doubles = new double[16];
  private String[] texts = new String[16];

  /** Starts a new event for the line {@code src[start, end)} (without its newline). */
  public void reset(byte[] src, int start, int end) {
    this.src = src;
    this.srcStart = start;
    this.srcEnd = end;
    hasTime = false;
    severity = null;
    messageStart = -1;
    messageText = null;
    parseError = false;
    Arrays.fill(texts, 0, size, null);
    size = 0;
  }

  // ---- building ----

  /** A text field from the source bytes [start, end). */
  public void text(String name, int start, int end) {
    int i = add(name, Kind.TEXT_RANGE);
    starts[i] = start;
    ends[i] = end;
  }

  /** A text field. */
  public void text(String name, String value) {
    int i = add(name, Kind.TEXT); // add() may grow the arrays: index them after it
    texts[i] = value;
  }

  /** A whole-number field. */
  public void number(String name, long value) {
    int i = add(name, Kind.LONG);
    longs[i] = value;
  }

  /** A decimal field; NaN and infinities are written as text. */
  public void decimal(String name, double value) {
    if (!Double.isFinite(value)) {
      text(name, Double.toString(value));
      return;
    }
    int i = add(name, Kind.DOUBLE);
    doubles[i] = value;
  }

  /** A boolean field. */
  public void bool(String name, boolean value) {
    int i = add(name, Kind.BOOL);
    longs[i] = value ? 1 : 0;
  }

  /** A field whose value is the valid JSON in source bytes [start, end). */
  public void json(String name, int start, int end) {
    int i = add(name, Kind.JSON_RANGE);
    starts[i] = start;
    ends[i] = end;
  }

  /** The event's time, as seconds and nanoseconds since the epoch (UTC). */
  public void time(long epochSeconds, int nanos) {
    hasTime = true;
    timeSeconds = epochSeconds;
    timeNanos = nanos;
  }

  /** The level as the source wrote it ("warn", "ERROR", "4"...); {@link Severity} maps it. */
  public void severity(String levelText) {
    severity = levelText;
  }

  /** The message: source bytes [start, end). */
  public void message(int start, int end) {
    messageStart = start;
    messageEnd = end;
    messageText = null;
  }

  /** The message as text. */
  public void message(String text) {
    messageText = text;
    messageStart = -1;
  }

  /** Marks the line as not matching its format: it is passed on with its raw text as message. */
  public void parseError() {
    parseError = true;
  }

  /** Removes the field at {@code i} (for drop and keep). */
  public void remove(int i) {
    int n = size - i - 1;
    System.arraycopy(names, i + 1, names, i, n);
    System.arraycopy(kinds, i + 1, kinds, i, n);
    System.arraycopy(starts, i + 1, starts, i, n);
    System.arraycopy(ends, i + 1, ends, i, n);
    System.arraycopy(longs, i + 1, longs, i, n);
    System.arraycopy(doubles, i + 1, doubles, i, n);
    System.arraycopy(texts, i + 1, texts, i, n);
    size--;
    texts[size] = null;
  }

  /** Renames the field at {@code i}. */
  public void rename(int i, String name) {
    names[i] = name;
  }

  private int add(String name, Kind kind) {
    if (size == names.length) {
      int n = size * 2;
      names = Arrays.copyOf(names, n);
      kinds = Arrays.copyOf(kinds, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
      longs = Arrays.copyOf(longs, n);
      doubles = Arrays.copyOf(doubles, n);
      texts = Arrays.copyOf(texts, n);
    }
    names[size] = name;
    kinds[size] = kind;
    return size++;
  }

  // ---- reading ----

  public byte[] src() { return src; }
  public int srcStart() { return srcStart; }
  public int srcEnd() { return srcEnd; }
  public boolean hasTime() { return hasTime; }
  public long timeSeconds() { return timeSeconds; }
  public int timeNanos() { return timeNanos; }
  /** The level text as found, or null. */
  public String severity() { return severity; }
  public boolean parseFailed() { return parseError; }
  /** Whether a message was set (else writers use the whole line). */
  public boolean hasMessage() { return messageText != null || messageStart >= 0; }
  public String messageText() { return messageText; }
  public int messageStart() { return messageStart; }
  public int messageEnd() { return messageEnd; }

  public int size() { return size; }
  public String name(int i) { return names[i]; }
  public Kind kind(int i) { return kinds[i]; }
  public int start(int i) { return starts[i]; }
  public int end(int i) { return ends[i]; }
  public long longValue(int i) { return longs[i]; }
  public double doubleValue(int i) { return doubles[i]; }
  public boolean boolValue(int i) { return longs[i] != 0; }
  public String textValue(int i) { return texts[i]; }

  /** The index of the first field called {@code name}, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** A field's value as a String (for tests, metrics and rare paths; allocates). */
  public String valueAsString(int i) {
    return switch (kinds[i]) {
      case TEXT_RANGE, JSON_RANGE -> new String(src, starts[i], ends[i] - starts[i], java.nio.charset.StandardCharsets.UTF_8);
      case TEXT -> texts[i];
      case LONG -> Long.toString(longs[i]);
      case DOUBLE -> Double.toString(doubles[i]);
      case BOOL -> Boolean.toString(longs[i] != 0);
    };
  }
}
