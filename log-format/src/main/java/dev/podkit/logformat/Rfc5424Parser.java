package dev.podkit.logformat;


/**
 * A parser of syslog lines in RFC 5424's format: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID
 * MSGID STRUCTURED-DATA [MSG]}. Nil values ({@code -}) are left out; a numeric PROCID is the
 * number field {@code pid}, another the text; the structured data is kept as written ({@code
 * [id k="v"]...}, text field {@code structured_data}); a UTF-8 BOM before the message is dropped.
 * A line that does not follow the grammar up to the structured data does not match.
 */
public final class Rfc5424Parser implements LineParser {
  @Override
  public Result parse(LogRecord r) {
    Result result = parseFields(r);
    if (result == Result.NO_MATCH) {
      r.reset(r.src(), r.srcStart(), r.srcEnd()); // Drop the fields set before the mismatch.
    }
    return result;
  }

  private static Result parseFields(LogRecord r) {
    byte[] b = r.src();
    int s = r.srcStart();
    int e = r.srcEnd();
    int priEnd = SyslogPri.end(b, s, e);
    // (1) <PRI>VERSION: one to three digits, the first not 0.
    int versionEnd = priEnd < 0 ? -1 : wordEnd(b, priEnd, e);
    if (versionEnd < 0 || versionEnd == e || versionEnd - priEnd > 3 || b[priEnd] == '0'
        || Numbers.parseLong(b, priEnd, versionEnd) < 0) {
      return Result.NO_MATCH;
    }
    SyslogPri.apply(r, b, s, priEnd);
    // (2) TIMESTAMP
    int p = versionEnd + 1;
    int end = wordEnd(b, p, e);
    if (!isNil(b, p, end) && !Times.rfc3339(b, p, end, r)) {
      return Result.NO_MATCH;
    }
    // (3) HOSTNAME APP-NAME PROCID MSGID
    for (int i = 0; i < 4; i++) {
      if (end == e) {
        return Result.NO_MATCH;
      }
      p = end + 1;
      end = wordEnd(b, p, e);
      if (end == p) {
        return Result.NO_MATCH;
      }
      if (!isNil(b, p, end)) {
        header(r, i, b, p, end);
      }
    }
    // (4) STRUCTURED-DATA
    if (end == e) {
      return Result.NO_MATCH;
    }
    p = end + 1;
    end = isNil(b, p, Math.min(p + 1, e)) ? p + 1 : structuredDataEnd(b, p, e);
    if (end < 0 || (end < e && b[end] != ' ')) {
      return Result.NO_MATCH;
    }
    if (!isNil(b, p, end)) {
      r.text(Fields.STRUCTURED_DATA, p, end);
    }
    // (5) MSG, after a BOM if there is one.
    p = Math.min(end + 1, e);
    if (p + 3 <= e && b[p] == (byte) 0xEF && b[p + 1] == (byte) 0xBB && b[p + 2] == (byte) 0xBF) {
      p += 3;
    }
    r.message(p, e);
    return Result.EVENT;
  }

  private static void header(LogRecord r, int i, byte[] b, int p, int end) {
    switch (i) {
      case 0 -> r.text(Fields.HOST, p, end);
      case 1 -> r.text(Fields.APP, p, end);
      case 2 -> {
        long pid = Numbers.parseLong(b, p, end);
        if (pid >= 0) {
          r.number(Fields.PID, pid);
        } else {
          r.text(Fields.PID, p, end);
        }
      }
      default -> r.text(Fields.MSGID, p, end);
    }
  }

  /**
   * The index after the SD-ELEMENTs ({@code [id name="value"...]}, one or more) at {@code b[p]}, or
   * -1. Inside a quoted value a backslash escapes the next byte ({@code \"}, {@code \]}, {@code \\}).
   */
  private static int structuredDataEnd(byte[] b, int p, int e) {
    if (p >= e || b[p] != '[') {
      return -1;
    }
    boolean quoted = false;
    boolean inElement = false;
    for (; p < e; p++) {
      byte c = b[p];
      if (quoted) {
        if (c == '\\') {
          p++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (!inElement) {
        if (c != '[') {
          return p;
        }
        inElement = true;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ']') {
        inElement = false;
      }
    }
    return inElement ? -1 : e;
  }

  private static boolean isNil(byte[] b, int start, int end) {
    return end - start == 1 && b[start] == '-';
  }

  private static int wordEnd(byte[] b, int p, int e) {
    for (; p < e; p++) {
      if (b[p] == ' ') {
        return p;
      }
    }
    return e;
  }
}
