package dev.podkit.logformat;

import java.util.List;

/**
 * The built-in input formats by name, and a factory of their parsers. The access-log names are
 * one grammar: nginx's {@code combined}/{@code main} and Apache's {@code common}/{@code combined}
 * are all read by {@link AccessLogParser}, which takes referer and user agent when present.
 */
public final class Formats {
  private static final List<String> NAMES = List.of(
      "plain", "combined", "common", "nginx", "apache", "syslog", "syslog-rfc3164",
      "syslog-rfc5424", "logfmt", "json", "cri", "docker", "regex");

  private Formats() {}

  /** The known format names, in the order help text lists them. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * A new parser of the format {@code name}; each parser keeps scratch state, so each pipeline
   * needs its own.
   *
   * @throws IllegalArgumentException for an unknown name, or {@code regex} without an expression
   */
  public static LineParser create(String name, FormatOptions options) {
    return switch (name) {
      case "plain" -> new PlainParser();
      case "combined", "common", "nginx", "apache" -> new AccessLogParser();
      case "syslog" -> new SyslogParser(options.zone(), options.clock());
      case "syslog-rfc3164" -> new Rfc3164Parser(options.zone(), options.clock());
      case "syslog-rfc5424" -> new Rfc5424Parser();
      case "logfmt" -> new LogfmtParser();
      case "json" -> new JsonLineParser();
      case "cri" -> new CriParser(options.maxMergedBytes());
      case "docker" -> new DockerJsonParser(options.maxMergedBytes());
      case "regex" -> {
        if (options.regex() == null) {
          throw new IllegalArgumentException("format regex needs a pattern");
        }
        yield new RegexParser(options.regex(), options.timeFormat(), options.zone());
      }
      default -> throw new IllegalArgumentException(
          "unknown format: " + name + " (known: " + String.join(", ", NAMES) + ")");
    };
  }
}
