package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;

/**
 * Elastic Common Schema as the ecs-logging libraries write it: {@code @timestamp} first (the
 * time the line was read when it carries none: the field is required), {@code log.level},
 * {@code message}, {@code ecs.version}, then the ECS names of known fields as dotted top-level
 * keys ({@code http.request.method}, {@code url.original}, {@code source.address}...), other
 * fields as they are, and {@code labels}.
 */
final class EcsSchema extends Schema {
  static final String ECS_VERSION = "8.11.0";
  private static final byte[] TIMESTAMP = JsonOut.key("@timestamp");
  private static final byte[] LEVEL = JsonOut.key("log.level");
  private static final byte[] MESSAGE = JsonOut.key("message");
  private static final byte[] VERSION = JsonOut.key("ecs.version");
  /** {@code ,"log.level":"error"} and the like, by severity ordinal, and the version field: written as they are. */
  private static final byte[][] LEVELS = severityPieces(new JsonOut(64).raw(',').raw(LEVEL).toBytes(), Severity::ecs);
  private static final byte[] VERSION_FIELD = new JsonOut(64).raw(',').raw(VERSION).string(ECS_VERSION).toBytes();
  private static final byte[] LABELS = JsonOut.key("labels");

  private final java.time.InstantSource clock;

  EcsSchema(Extras extras, java.time.InstantSource clock) {
    super(extras);
    this.clock = clock;
  }

  EcsSchema(Extras extras) {
    this(extras, java.time.InstantSource.system());
  }

  @Override
  void write(LogRecord r, Severity severity, JsonOut out) {
    out.raw('{').raw(TIMESTAMP);
    if (r.hasTime()) {
      rfc3339.write(r.timeSeconds(), r.timeNanos(), out);
    } else {
      java.time.Instant now = clock.instant();
      rfc3339.write(now.getEpochSecond(), now.getNano(), out);
    }
    if (severity != null) {
      out.raw(LEVELS[severity.ordinal()]);
    }
    out.raw(',').raw(MESSAGE);
    message(r, out);
    out.raw(VERSION_FIELD);
    for (int i = 0; i < r.size(); i++) {
      String ecsName = HttpFields.ecsName(r.name(i));
      if (ecsName == null) {
        ecsName = r.name(i);
      }
      if (r.name(i).equals(Fields.DURATION) && r.kind(i) == LogRecord.Kind.DOUBLE) {
        // ECS event.duration is in nanoseconds.
        names.writeKey(ecsName, out);
        out.number(Math.round(r.doubleValue(i) * 1e9));
        continue;
      }
      if (r.name(i).equals(Fields.PROTOCOL)) {
        // http.version is "1.1", not "HTTP/1.1".
        String p = r.valueAsString(i);
        names.writeKey(ecsName, out);
        out.string(p.startsWith("HTTP/") ? p.substring(5) : p);
        continue;
      }
      names.writeKey(ecsName, out);
      value(r, i, out);
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
