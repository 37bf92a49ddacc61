package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;
import dev.podkit.runtime.Rfc3339;
import java.util.List;

/**
 * An output schema: how one {@link LogRecord} becomes one JSON line. The shared parts (field
 * values, the message, added fields and labels, the parse-error flag) live here; each schema
 * decides the names and the nesting.
 */
abstract class Schema {
  /** The schemas, by their option name. */
  enum Name { PLAIN, GCP, ECS }

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] PARSE_ERROR = new JsonOut(64).raw(',').raw(JsonOut.key("parse_error")).raw(TRUE).toBytes();
  protected final Extras extras;
  protected final FieldNames names = new FieldNames();
  protected final Rfc3339 rfc3339 = new Rfc3339();
  // The added fields and labels are the same on every line: written once here, copied per line.
  private final byte[] extraFieldBytes;
  private final byte[] labelsBytes;

  Schema(Extras extras) {
    this.extras = extras;
    JsonOut fields = new JsonOut(256);
    for (String[] kv : extras.fields()) {
      names.writeKey(kv[0], fields);
      fields.string(kv[1]);
    }
    extraFieldBytes = fields.toBytes();
    JsonOut labels = new JsonOut(256).raw('{');
    boolean first = true;
    for (String[] kv : extras.labels()) {
      if (!first) labels.raw(',');
      first = false;
      labels.string(kv[0]).raw(':').string(kv[1]);
    }
    labelsBytes = labels.raw('}').toBytes();
  }

  /**
   * For each severity by ordinal, {@code prefix} then the severity's {@code name} as a JSON
   * string: the constant piece a schema writes for it on every line.
   */
  static byte[][] severityPieces(byte[] prefix, java.util.function.Function<Severity, String> name) {
    Severity[] all = Severity.values();
    byte[][] pieces = new byte[all.length][];
    for (Severity s : all) {
      pieces[s.ordinal()] = new JsonOut(64).raw(prefix).string(name.apply(s)).toBytes();
    }
    return pieces;
  }

  static Schema of(Name name, String messageKey, Extras extras, String gcpProject) {
    return switch (name) {
      case PLAIN -> new PlainSchema(messageKey, extras);
      case GCP -> new CloudLoggingSchema(extras, gcpProject);
      case ECS -> new EcsSchema(extras);
    };
  }

  /** Writes {@code r} as one line, newline included; {@code severity} may be null (unknown). */
  abstract void write(LogRecord r, Severity severity, JsonOut out);

  /** Fields added to every line and labels, resolved once at start-up. */
  record Extras(List<String[]> fields, List<String[]> labels) {
    static final Extras NONE = new Extras(List.of(), List.of());
  }

  /** Writes field {@code i}'s value. */
  protected static void value(LogRecord r, int i, JsonOut out) {
    switch (r.kind(i)) {
      case TEXT_RANGE -> out.string(r.src(), r.start(i), r.end(i));
      case TEXT -> out.string(r.textValue(i));
      case LONG -> out.number(r.longValue(i));
      case DOUBLE -> out.decimal(r.doubleValue(i));
      case BOOL -> out.raw(r.boolValue(i) ? TRUE : FALSE);
      case JSON_RANGE -> out.raw(r.src(), r.start(i), r.end(i));
    }
  }

  /** Writes the message: the record's, or the whole line when the parser set none. */
  protected static void message(LogRecord r, JsonOut out) {
    if (r.messageText() != null) {
      out.string(r.messageText());
    } else if (r.messageStart() >= 0) {
      out.string(r.src(), r.messageStart(), r.messageEnd());
    } else {
      out.string(r.src(), r.srcStart(), r.srcEnd());
    }
  }

  /** Writes {@code ,"key":"value"} for each added field. */
  protected void extraFields(JsonOut out) {
    if (extraFieldBytes.length > 0) {
      out.raw(extraFieldBytes);
    }
  }

  /** Writes the labels as an object {@code {"k":"v",...}}. */
  protected void labelsObject(JsonOut out) {
    out.raw(labelsBytes);
  }

  protected static void parseError(LogRecord r, JsonOut out) {
    if (r.parseFailed()) {
      out.raw(PARSE_ERROR);
    }
  }
}
