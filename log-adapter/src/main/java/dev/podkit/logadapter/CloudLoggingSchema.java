package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;

/**
 * Google Cloud Logging's structured JSON, as its agents read it from a container's stdout:
 * {@code severity} (LogSeverity names), {@code message}, {@code time} (RFC 3339), an
 * {@code httpRequest} object for access logs, {@code logging.googleapis.com/labels} and the
 * trace fields; every other field stays in the payload as it is.
 */
final class CloudLoggingSchema extends Schema {
  private static final byte[] SEVERITY = JsonOut.key("severity");
  private static final byte[] MESSAGE = JsonOut.key("message");
  private static final byte[] TIME = JsonOut.key("time");
  private static final byte[] HTTP_REQUEST = JsonOut.key("httpRequest");
  private static final byte[] LABELS = JsonOut.key("logging.googleapis.com/labels");
  private static final byte[] TRACE = JsonOut.key("logging.googleapis.com/trace");
  private static final byte[] SPAN = JsonOut.key("logging.googleapis.com/spanId");
  /** Each line's start up to its severity value, by severity ordinal; {@link #UNKNOWN} for none. */
  private static final byte[][] STARTS = severityPieces(new JsonOut(64).raw('{').raw(SEVERITY).toBytes(), Severity::cloudLogging);
  private static final byte[] UNKNOWN = new JsonOut(64).raw('{').raw(SEVERITY).string("DEFAULT").toBytes();

  private final String traceProject;

  /** {@code traceProject}: the project id that trace ids are qualified with, or null. */
  CloudLoggingSchema(Extras extras, String traceProject) {
    super(extras);
    this.traceProject = traceProject;
  }

  CloudLoggingSchema(Extras extras) {
    this(extras, null);
  }

  @Override
  void write(LogRecord r, Severity severity, JsonOut out) {
    out.raw(severity == null ? UNKNOWN : STARTS[severity.ordinal()]);
    out.raw(',').raw(MESSAGE);
    message(r, out);
    if (r.hasTime()) {
      out.raw(',').raw(TIME);
      rfc3339.write(r.timeSeconds(), r.timeNanos(), out);
    }
    boolean http = false;
    for (int i = 0; i < r.size(); i++) {
      String n = r.name(i);
      if (HttpFields.isHttp(n)) {
        http = true;
        continue;
      }
      if (n.equals("trace") || n.equals("trace_id")) {
        out.raw(',').raw(TRACE);
        if (traceProject != null) {
          out.string("projects/" + traceProject + "/traces/" + r.valueAsString(i));
        } else {
          value(r, i, out);
        }
        continue;
      }
      if (n.equals("span_id") || n.equals("spanId")) {
        out.raw(',').raw(SPAN);
        value(r, i, out);
        continue;
      }
      names.writeKey(n, out);
      value(r, i, out);
    }
    if (http) {
      out.raw(',').raw(HTTP_REQUEST);
      HttpFields.writeCloudLogging(r, out);
    }
    extraFields(out);
    if (!extras.labels().isEmpty()) {
      out.raw(',').raw(LABELS);
      labelsObject(out);
    }
    parseError(r, out);
    out.raw('}').raw('\n');
  }
}
