package dev.podkit.logadapter;

import dev.podkit.logformat.Severity;

import dev.podkit.runtime.CommonOptions;
import dev.podkit.runtime.Option;
import dev.podkit.runtime.Options;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * log-adapter's settings, from flags and environment, validated up front.
 *
 * @param input the file to follow, or null for stdin
 * @param format the input format's name (see {@code Formats})
 * @param regex the pattern of the regex format, or null
 * @param timeFormat a DateTimeFormatter pattern for times without a known form, or null
 * @param zone the zone of times that carry none
 * @param schema the output schema
 * @param messageKey the plain schema's message key
 * @param defaultSeverity the severity of events that show none, or null
 * @param detectKeywords whether level keywords in messages set the severity
 * @param extras fields and labels added to every event
 * @param rules rename, drop and keep
 * @param gcpProject the project that Cloud Logging trace ids are qualified with, or null
 * @param output stdout (null), a file or an HTTP URL
 * @param maxLineBytes lines longer than this are cut and flagged
 * @param multilineStart lines matching it start an event (others continue it), or null
 * @param fromEnd start at the end of the file (like tail) instead of its beginning
 * @param admin the admin endpoint's address, or null
 */
record LogAdapterConfig(Path input, String format, Pattern regex, String timeFormat, ZoneId zone,
    Schema.Name schema, String messageKey, Severity defaultSeverity, boolean detectKeywords,
    Schema.Extras extras, FieldRules rules, String gcpProject, URI output, int maxLineBytes,
    Pattern multilineStart, int multilineMaxLines, Duration multilineTimeout, boolean fromEnd,
    Duration pollInterval, int batchBytes, Duration batchLinger, Duration httpTimeout,
    Duration shutdownTimeout, InetSocketAddress admin) {

  static final int ADMIN_PORT = 9403;
  static final CommonOptions COMMON = CommonOptions.withAdminPort(ADMIN_PORT, Duration.ofSeconds(10));

  static final Option<String> FORMAT = Option.text("format", "NAME", "plain",
      "Input format: plain, combined, common, nginx, apache, syslog, syslog-rfc3164, syslog-rfc5424, logfmt, json, cri, docker, regex.");
  static final Option<String> REGEX = Option.text("regex", "REGEX", "",
      "For --format regex: a Java pattern with named groups (time, level, message, status...).");
  static final Option<String> TIME_FORMAT = Option.text("time-format", "PATTERN", "",
      "How times are written where the format does not say (regex format): a java.time pattern.");
  static final Option<String> TIME_ZONE = Option.text("time-zone", "ZONE", "UTC",
      "The zone of times written without one (syslog RFC 3164, --time-format).");
  static final Option<Schema.Name> SCHEMA = Option.choice("schema", Schema.Name.class, Schema.Name.PLAIN,
      "Output schema: plain JSON, gcp (Google Cloud Logging) or ecs (Elastic Common Schema).");
  static final Option<String> MESSAGE_KEY = Option.text("message-key", "KEY", "msg",
      "The plain schema's message key (msg, as the usual awk one-liner, or message).");
  static final Option<String> DEFAULT_SEVERITY = Option.text("default-severity", "LEVEL", "",
      "Severity of events that show none (INFO, as the usual sed one-liner adds).");
  static final Option<Boolean> NO_KEYWORDS = Option.flag("no-severity-keywords",
      "Do not take the severity from a level keyword (ERROR, WARN...) near the start of the message.");
  static final Option<String> FIELD = Option.text("field", "KEY=VALUE", "", "A field added to every event; repeatable.").repeatable();
  static final Option<String> FIELD_ENV = Option.text("field-env", "KEY=VARIABLE", "",
      "A field added to every event from an environment variable (pod, namespace, node via the Downward API); repeatable.").repeatable();
  static final Option<String> LABEL = Option.text("label", "KEY=VALUE", "",
      "A label (gcp: logging.googleapis.com/labels; ecs and plain: labels); repeatable.").repeatable();
  static final Option<String> LABEL_ENV = Option.text("label-env", "KEY=VARIABLE", "",
      "A label from an environment variable; repeatable.").repeatable();
  static final Option<String> RENAME = Option.text("rename", "FROM=TO", "", "Renames a field; repeatable.").repeatable();
  static final Option<String> DROP = Option.text("drop", "NAME", "", "Drops a field; repeatable.").repeatable();
  static final Option<String> KEEP = Option.text("keep", "NAME", "", "Keeps only the listed fields; repeatable.").repeatable();
  static final Option<String> GCP_PROJECT = Option.text("gcp-project", "ID", "",
      "gcp schema: qualify trace ids as projects/ID/traces/TRACE.");
  static final Option<String> OUTPUT = Option.text("output", "stdout|file:///PATH|http(s)://URL", "stdout",
      "Where JSON lines go: stdout, appended to a file, or POSTed as NDJSON.");
  static final Option<Integer> MAX_LINE_BYTES = Option.integer("max-line-bytes", 1 << 20, 64, 64 << 20,
      "Lines longer than this are cut and flagged truncated (never dropped).");
  static final Option<String> MULTILINE_START = Option.text("multiline-start", "REGEX", "",
      "Lines matching this start an event, others continue it (stack traces), e.g. '^\\S'.");
  static final Option<Integer> MULTILINE_MAX_LINES = Option.integer("multiline-max-lines", 500, 1, 100_000,
      "The most lines joined into one event.");
  static final Option<Duration> MULTILINE_TIMEOUT = Option.duration("multiline-timeout", Duration.ofSeconds(1),
      "An event waiting for more lines is written after this long.");
  static final Option<String> START_AT = Option.text("start-at", "beginning|end", "beginning",
      "Where to start reading a file that exists at start-up.");
  static final Option<Duration> POLL_INTERVAL = Option.duration("poll-interval", Duration.ofMillis(200),
      "How often a file is checked for new lines and rotation when it is idle.");
  static final Option<Integer> BATCH_BYTES = Option.integer("batch-bytes", 1 << 20, 1024, 64 << 20,
      "HTTP output: a batch is sent at this size.");
  static final Option<Duration> BATCH_LINGER = Option.duration("batch-linger", Duration.ofSeconds(1),
      "HTTP output: a smaller batch is sent after this long.");
  static final Option<Duration> HTTP_TIMEOUT = Option.duration("http-timeout", Duration.ofSeconds(10),
      "HTTP output: connect and read timeout of one POST.");

  static final String DESCRIPTION = """
      Turns raw or legacy log lines into structured JSON: reads FILE (followed like tail -F,
      through rotation) or stdin, parses each line with --format, and writes one JSON object per
      line in --schema to --output. A line that does not match the format is written anyway, its
      raw text as the message and "parse_error":true; nothing is dropped. Exit codes: 0 ok (also
      after SIGTERM, once drained), 1 failure, 2 usage.

      Examples:
        log-adapter /logs/app.log
        log-adapter --format json --schema gcp --default-severity INFO /var/log/app.log
        log-adapter --format nginx --schema ecs --field-env pod=POD_NAME /var/log/nginx/access.log
      """;

  static Options options(String version) {
    List<Option<?>> all = new ArrayList<>(List.of(FORMAT, REGEX, TIME_FORMAT, TIME_ZONE, SCHEMA, MESSAGE_KEY,
        DEFAULT_SEVERITY, NO_KEYWORDS, FIELD, FIELD_ENV, LABEL, LABEL_ENV, RENAME, DROP, KEEP, GCP_PROJECT, OUTPUT,
        MAX_LINE_BYTES, MULTILINE_START, MULTILINE_MAX_LINES, MULTILINE_TIMEOUT, START_AT, POLL_INTERVAL,
        BATCH_BYTES, BATCH_LINGER, HTTP_TIMEOUT));
    all.addAll(COMMON.all());
    return new Options("log-adapter", version, "[options] [FILE|-]", DESCRIPTION, all);
  }

  /** Builds the config, adding every problem found to {@code problems} (then returns null). */
  static LogAdapterConfig from(Options.Parsed p, Map<String, String> env, List<String> problems) {
    problems.addAll(p.problems());
    List<String> args = p.arguments();
    if (args.size() > 1) {
      problems.add("one input at most, got " + args.size() + ": " + args);
    }
    Path input = args.isEmpty() || args.getFirst().equals("-") ? null : Path.of(args.getFirst());
    String format = p.get(FORMAT).strip().toLowerCase(Locale.ROOT);
    if (!dev.podkit.logformat.Formats.names().contains(format)) {
      problems.add("--format: unknown format '" + p.get(FORMAT) + "' (known: "
          + String.join(", ", dev.podkit.logformat.Formats.names()) + ")");
    }
    Pattern regex = compile(p.get(REGEX), "--regex", problems);
    if (format.equals("regex") && regex == null && p.get(REGEX).isEmpty()) {
      problems.add("--format regex needs --regex");
    }
    ZoneId zone = null;
    try {
      zone = ZoneId.of(p.get(TIME_ZONE));
    } catch (java.time.DateTimeException e) {
      problems.add("--time-zone: unknown zone '" + p.get(TIME_ZONE) + "'");
    }
    String timeFormat = p.get(TIME_FORMAT).isEmpty() ? null : p.get(TIME_FORMAT);
    if (timeFormat != null) {
      try {
        java.time.format.DateTimeFormatter.ofPattern(timeFormat);
      } catch (IllegalArgumentException e) {
        problems.add("--time-format: " + e.getMessage());
      }
    }
    Severity def = null;
    if (!p.get(DEFAULT_SEVERITY).isEmpty()) {
      def = Severity.parse(p.get(DEFAULT_SEVERITY));
      if (def == null) {
        problems.add("--default-severity: unknown level '" + p.get(DEFAULT_SEVERITY) + "' (DEBUG, INFO, WARNING, ERROR...)");
      }
    }
    Schema.Extras extras = new Schema.Extras(values(p.all(FIELD), p.all(FIELD_ENV), env, "--field", problems),
        values(p.all(LABEL), p.all(LABEL_ENV), env, "--label", problems));
    FieldRules rules = new FieldRules(FieldRules.pairs(p.all(RENAME), "--rename", problems),
        new LinkedHashSet<>(p.all(DROP)), new LinkedHashSet<>(p.all(KEEP)));
    URI output = output(p.get(OUTPUT), problems);
    Pattern multiline = compile(p.get(MULTILINE_START), "--multiline-start", problems);
    String startAt = p.get(START_AT).strip().toLowerCase(Locale.ROOT);
    if (!startAt.equals("beginning") && !startAt.equals("end")) {
      problems.add("--start-at: not beginning or end: '" + p.get(START_AT) + "'");
    }
    if (p.get(POLL_INTERVAL).isZero()) {
      problems.add("--poll-interval must be positive");
    }
    InetSocketAddress admin = COMMON.adminAddress(p, problems);
    if (!problems.isEmpty()) {
      return null;
    }
    return new LogAdapterConfig(input, format, regex, timeFormat, zone, p.get(SCHEMA), p.get(MESSAGE_KEY), def,
        !p.get(NO_KEYWORDS), extras, rules, p.get(GCP_PROJECT).isEmpty() ? null : p.get(GCP_PROJECT), output,
        p.get(MAX_LINE_BYTES), multiline, p.get(MULTILINE_MAX_LINES), p.get(MULTILINE_TIMEOUT),
        startAt.equals("end"), p.get(POLL_INTERVAL), p.get(BATCH_BYTES), p.get(BATCH_LINGER), p.get(HTTP_TIMEOUT),
        p.get(COMMON.shutdownTimeout()), admin);
  }

  /** The URL with the password of its user info, if any, replaced by {@code ***}: safe for logs. */
  static String redact(URI u) {
    return u.toString().replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*):[^/@]*@", "$1:***@");
  }

  private static Pattern compile(String text, String option, List<String> problems) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      problems.add(option + ": bad regex '" + text + "': " + e.getDescription());
      return null;
    }
  }

  private static List<String[]> values(List<String> literal, List<String> fromEnv, Map<String, String> env,
      String option, List<String> problems) {
    List<String[]> out = new ArrayList<>();
    FieldRules.pairs(literal, option, problems).forEach((k, v) -> out.add(new String[] {k, v}));
    FieldRules.pairs(fromEnv, option + "-env", problems).forEach((k, variable) -> {
      String v = env.get(variable);
      if (v == null) {
        problems.add(option + "-env: " + k + "=" + variable + ": " + variable + " is not set");
      } else {
        out.add(new String[] {k, v});
      }
    });
    return out;
  }

  private static URI output(String text, List<String> problems) {
    if (text.equals("stdout") || text.equals("-")) {
      return null;
    }
    try {
      URI u = new URI(text);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("file") && u.getPath() != null && u.getPath().startsWith("/")) {
        return u;
      }
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
        return u;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    problems.add("--output: '" + text + "' is not stdout, file:///PATH or http(s)://HOST/PATH");
    return null;
  }
}
