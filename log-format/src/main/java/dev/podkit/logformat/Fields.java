package dev.podkit.logformat;

/**
 * Canonical field names that parsers use where a meaning is shared between formats, so each
 * output schema maps them once: an nginx and an Apache access log both give {@link #STATUS}.
 */
public final class Fields {
  // HTTP access logs.
  public static final String REMOTE_ADDR = "remote_addr";
  public static final String REMOTE_USER = "remote_user";
  public static final String METHOD = "method";
  public static final String PATH = "path";
  public static final String PROTOCOL = "protocol";
  /** HTTP status, a number. */
  public static final String STATUS = "status";
  /** Response body bytes, a number. */
  public static final String BYTES = "bytes";
  public static final String REFERER = "referer";
  public static final String USER_AGENT = "user_agent";
  /** Request duration in seconds, a decimal. */
  public static final String DURATION = "duration";
  // Syslog.
  public static final String HOST = "host";
  public static final String APP = "app";
  public static final String PID = "pid";
  public static final String MSGID = "msgid";
  public static final String FACILITY = "facility";
  public static final String STRUCTURED_DATA = "structured_data";
  // Container logs.
  public static final String STREAM = "stream";

  private Fields() {}
}
