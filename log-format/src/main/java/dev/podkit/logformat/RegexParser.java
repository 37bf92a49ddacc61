package dev.podkit.logformat;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser driven by a user's Java regular expression with named groups, found anywhere in the
 * line (anchor it with {@code ^...$} to match whole lines). Each group that took part in the match
 * gives, by name: {@code time}/{@code timestamp} the time, read with the configured {@link
 * DateTimeFormatter} in the configured zone (or, without a format, as RFC 3339 or an epoch
 * number), else kept as a text field; {@code level}/{@code severity} the severity; {@code
 * message}/{@code msg} the message; {@code status}, {@code bytes}, {@code pid} numbers when they
 * are whole numbers; any other group a text field, in the groups' order. A line the expression
 * does not find does not match.
 */
public final class RegexParser implements LineParser {
  private enum Role { TIME, LEVEL, MESSAGE, NUMBER, TEXT }

  private final Matcher matcher;
  private final String[] names;
  private final int[] groups;
  private final Role[] roles;
  private final DateTimeFormatter timeFormat;

  /**
   * A parser of {@code pattern}, reading time groups with {@code timeFormat} (null for RFC 3339
   * or epoch numbers) in {@code zone} when the text has no offset.
   */
  public RegexParser(Pattern pattern, DateTimeFormatter timeFormat, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    this.matcher = pattern.matcher("");
    Map<String, Integer> named = pattern.namedGroups();
    if (named.isEmpty()) {
      throw new IllegalArgumentException("regex has no named group: " + pattern);
    }
    var entries = named.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getValue)).toList();
    names = new String[entries.size()];
    groups = new int[entries.size()];
    roles = new Role[entries.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = entries.get(i).getKey();
      groups[i] = entries.get(i).getValue();
      roles[i] = role(names[i]);
    }
    this.timeFormat = timeFormat == null ? null : timeFormat.withZone(zone);
  }

  private static Role role(String name) {
    return switch (name) {
      case "time", "timestamp" -> Role.TIME;
      case "level", "severity" -> Role.LEVEL;
      case "message", "msg" -> Role.MESSAGE;
      case Fields.STATUS, Fields.BYTES, Fields.PID -> Role.NUMBER;
      default -> Role.TEXT;
    };
  }

  @Override
  public Result parse(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    // An ASCII line is read as Latin-1, so each char index is also a byte offset and the
    // fields can stay byte ranges of the line; other lines are decoded and give Strings.
    boolean ascii = isAscii(b, s, e);
    String line = new String(b, s, e - s, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    try {
      if (!matcher.reset(line).find()) {
        return Result.NO_MATCH;
      }
    } catch (StackOverflowError deepBacktracking) {
      // java.util.regex recurses per repetition; a long line can exhaust the stack.
      return Result.NO_MATCH;
    }
    for (int i = 0; i < names.length; i++) {
      int gs = matcher.start(groups[i]);
      if (gs >= 0) {
        group(r, i, line, gs, matcher.end(groups[i]), ascii ? s : -1);
      }
    }
    return Result.EVENT;
  }

  /** Adds group {@code i}, {@code line[gs, ge)}; {@code base} is the line's offset, or -1 if not ASCII. */
  private void group(LogRecord r, int i, String line, int gs, int ge, int base) {
    switch (roles[i]) {
      case TIME -> {
        if (!time(r, line.substring(gs, ge), base < 0 ? null : r.src(), base + gs, base + ge)) {
          text(r, names[i], line, gs, ge, base);
        }
      }
      case LEVEL -> r.severity(base >= 0 ? LevelNames.of(r.src(), base + gs, base + ge) : line.substring(gs, ge));
      case MESSAGE -> {
        if (base >= 0) {
          r.message(base + gs, base + ge);
        } else {
          r.message(line.substring(gs, ge));
        }
      }
      case NUMBER -> {
        long v = parseLong(line, gs, ge);
        if (v != Numbers.NOT_A_NUMBER) {
          r.number(names[i], v);
        } else {
          text(r, names[i], line, gs, ge, base);
        }
      }
      case TEXT -> text(r, names[i], line, gs, ge, base);
    }
  }

  private static void text(LogRecord r, String name, String line, int gs, int ge, int base) {
    if (base >= 0) {
      r.text(name, base + gs, base + ge);
    } else {
      r.text(name, line.substring(gs, ge));
    }
  }

  /**
   * Sets the time of {@code text}, which is {@code b[start, end)} of an ASCII line; false when it
   * is not a time. {@code b} is null if the line is not ASCII.
   */
  private boolean time(LogRecord r, String text, byte[] b, int start, int end) {
    if (timeFormat != null) {
      try {
        Instant t = Instant.from(timeFormat.parse(text));
        r.time(t.getEpochSecond(), t.getNano());
        return true;
      } catch (DateTimeException notATime) {
        return false;
      }
    }
    if (b == null) {
      // A line with non-ASCII text elsewhere: the time itself is ASCII if it is one.
      b = text.getBytes(StandardCharsets.ISO_8859_1);
      start = 0;
      end = b.length;
    }
    if (Times.rfc3339(b, start, end, r)) {
      return true;
    }
    long whole = Numbers.parseLong(b, start, end);
    if (whole != Numbers.NOT_A_NUMBER) {
      Times.epochNumber(whole, r);
      return true;
    }
    double decimal = Numbers.parseDecimal(b, start, end);
    return !Double.isNaN(decimal) && Times.epochDecimal(decimal, r);
  }

  private static long parseLong(String s, int start, int end) {
    if (end - start > 18 || end == start) {
      return Numbers.NOT_A_NUMBER;
    }
    long v = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return Numbers.NOT_A_NUMBER;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isAscii(byte[] b, int s, int e) {
    for (int p = s; p < e; p++) {
      if (b[p] < 0) {
        return false;
      }
    }
    return true;
  }
}
