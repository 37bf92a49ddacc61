package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;

/**
 * Plain JSON: the message under a configurable key ({@code msg}, as the usual awk one-liner
 * writes it, or {@code message}), then the parsed fields as they are, then {@code time} and
 * {@code severity} when known, added fields, {@code labels} and the parse-error flag. A plain line
 * with nothing else known is exactly {@code {"msg":"..."}}.
 */
final class PlainSchema extends Schema {
  private static final byte[] TIME = JsonOut.key("time");
  /** {@code ,"severity":"INFO"} and the like, by severity ordinal. */
  private static final byte[][] SEVERITY = severityPieces(new JsonOut(64).raw(',').raw(JsonOut.key("severity")).toBytes(),
      Severity::cloudLogging);
  private static final byte[] LABELS = JsonOut.key("labels");
  private final byte[] messageKey;

  PlainSchema(String messageKey, Extras extras) {
    super(extras);
    this.messageKey = JsonOut.key(messageKey);
  }

  @Override
  void write(LogRecord r, Severity severity, JsonOut out) {
    out.raw('{').raw(messageKey);
    message(r, out);
    for (int i = 0; i < r.size(); i++) {
      names.writeKey(i, r.name(i), out);
      value(r, i, out);
    }
    if (r.hasTime()) {
      out.raw(',').raw(TIME);
      rfc3339.write(r.timeSeconds(), r.timeNanos(), out);
    }
    if (severity != null) {
      out.raw(SEVERITY[severity.ordinal()]);
    }
    extraFields(out);
    if (!extras.labels().isEmpty()) {
      out.raw(',').raw(LABELS);
      labelsObject(out);
    }
    parseError(r, out);
    out.raw('}').raw('\n');
  }

  /** What every line of the plain format starts with, up to its message string: {@code {"msg":}. */
  byte[] wrapPrefix() {
    JsonOut out = new JsonOut();
    out.raw('{').raw(messageKey);
    return out.toBytes();
  }

  /**
   * What follows the message string on a line of the plain format with {@code severity} (null:
   * none), newline included: the same bytes {@link #write} gives a plain record.
   */
  byte[] wrapTail(Severity severity) {
    LogRecord plain = new LogRecord();
    plain.reset(new byte[0], 0, 0);
    JsonOut out = new JsonOut();
    write(plain, severity, out);
    // write() gave {"msg":""...}: keep what follows the empty message.
    int skip = wrapPrefix().length + 2;
    return java.util.Arrays.copyOfRange(out.buffer(), skip, out.length());
  }
}
