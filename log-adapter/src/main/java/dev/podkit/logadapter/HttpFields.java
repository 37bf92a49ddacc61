package dev.podkit.logadapter;

import dev.podkit.logformat.Fields;

import dev.podkit.logformat.LogRecord;

import dev.podkit.runtime.JsonOut;
import java.util.Map;

/**
 * Where the access-log fields go in each schema: Cloud Logging's {@code httpRequest} object and
 * ECS's dotted names.
 */
final class HttpFields {
  private static final Map<String, String> ECS = Map.ofEntries(
      Map.entry(Fields.REMOTE_ADDR, "source.address"),
      Map.entry(Fields.REMOTE_USER, "user.name"),
      Map.entry(Fields.METHOD, "http.request.method"),
      Map.entry(Fields.PATH, "url.original"),
      Map.entry(Fields.PROTOCOL, "http.version"),
      Map.entry(Fields.STATUS, "http.response.status_code"),
      Map.entry(Fields.BYTES, "http.response.body.bytes"),
      Map.entry(Fields.REFERER, "http.request.referrer"),
      Map.entry(Fields.USER_AGENT, "user_agent.original"),
      Map.entry(Fields.DURATION, "event.duration"),
      Map.entry(Fields.HOST, "host.hostname"),
      Map.entry(Fields.APP, "process.name"),
      Map.entry(Fields.PID, "process.pid"),
      Map.entry(Fields.FACILITY, "log.syslog.facility.code"),
      Map.entry(Fields.STREAM, "log.origin.stream"));

  private HttpFields() {}

  static boolean isHttp(String name) {
    return switch (name) {
      case Fields.METHOD, Fields.PATH, Fields.PROTOCOL, Fields.STATUS, Fields.BYTES, Fields.REFERER,
           Fields.USER_AGENT, Fields.REMOTE_ADDR, Fields.DURATION -> true;
      default -> false;
    };
  }

  /** The ECS name of a canonical field, or null to keep the name. */
  static String ecsName(String name) {
    return ECS.get(name);
  }

  /** Writes Cloud Logging's HttpRequest object from the record's access-log fields. */
  static void writeCloudLogging(LogRecord r, JsonOut out) {
    out.raw('{');
    boolean first = true;
    for (int i = 0; i < r.size(); i++) {
      String key = switch (r.name(i)) {
        case Fields.METHOD -> "requestMethod";
        case Fields.PATH -> "requestUrl";
        case Fields.PROTOCOL -> "protocol";
        case Fields.STATUS -> "status";
        case Fields.BYTES -> "responseSize";
        case Fields.REFERER -> "referer";
        case Fields.USER_AGENT -> "userAgent";
        case Fields.REMOTE_ADDR -> "remoteIp";
        case Fields.DURATION -> "latency";
        default -> null;
      };
      if (key == null) {
        continue;
      }
      if (!first) out.raw(',');
      first = false;
      out.string(key).raw(':');
      if (key.equals("responseSize")) {
        // int64 fields are strings in the LogEntry JSON.
        out.string(r.valueAsString(i));
      } else if (key.equals("latency")) {
        // A Duration: seconds with an "s" suffix.
        out.string(r.kind(i) == LogRecord.Kind.DOUBLE ? r.doubleValue(i) + "s" : r.valueAsString(i) + "s");
      } else {
        Schema.value(r, i, out);
      }
    }
    out.raw('}');
  }
}
