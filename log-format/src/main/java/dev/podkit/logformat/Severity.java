package dev.podkit.logformat;

import java.util.Locale;

/**
 * The common severity scale, from the level names, abbreviations and numbers that logs use
 * (syslog's 0 to 7, "warn", "FATAL", "E"...), and each output schema's name for it.
 */
public enum Severity {
  DEFAULT("DEFAULT", "info"),
  TRACE("DEBUG", "trace"),
  DEBUG("DEBUG", "debug"),
  INFO("INFO", "info"),
  NOTICE("NOTICE", "notice"),
  WARNING("WARNING", "warn"),
  ERROR("ERROR", "error"),
  CRITICAL("CRITICAL", "critical"),
  ALERT("ALERT", "alert"),
  EMERGENCY("EMERGENCY", "emergency");

  private final String cloudLogging;
  private final String ecs;

  Severity(String cloudLogging, String ecs) {
    this.cloudLogging = cloudLogging;
    this.ecs = ecs;
  }

  /** Google Cloud Logging's LogSeverity name. */
  public String cloudLogging() {
    return cloudLogging;
  }

  /** ECS {@code log.level} (lower case, as the ecs-logging libraries write it). */
  public String ecs() {
    return ecs;
  }

  /**
   * The severity a level text means, or null when it means none. Accepts names in any case and
   * common short forms (warn, err, crit, fatal, panic, emerg, E, W...), and syslog's numbers 0 to 7.
   */
  public static Severity parse(String level) {
    if (level == null) {
      return null;
    }
    String s = level.strip().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "trace", "finest", "finer", "t" -> TRACE;
      case "debug", "dbg", "fine", "d", "7" -> DEBUG;
      case "info", "information", "informational", "i", "6", "config" -> INFO;
      case "notice", "n", "5" -> NOTICE;
      case "warn", "warning", "w", "4" -> WARNING;
      case "error", "err", "e", "severe", "3" -> ERROR;
      case "critical", "crit", "fatal", "f", "c", "2" -> CRITICAL;
      case "alert", "a", "1" -> ALERT;
      case "emergency", "emerg", "panic", "0" -> EMERGENCY;
      case "default" -> DEFAULT;
      default -> null;
    };
  }
}
