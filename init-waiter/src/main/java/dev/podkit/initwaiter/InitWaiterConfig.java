package dev.podkit.initwaiter;

import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.CommonOptions;
import dev.podkit.runtime.Durations;
import dev.podkit.runtime.Option;
import dev.podkit.runtime.Options;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * init-waiter's settings, built from flags and environment and validated up front.
 *
 * @param targets what to wait for, at least one
 * @param policy timeouts, backoff, all or any, inverted or not
 * @param admin where the admin endpoint listens, or null when off
 */
record InitWaiterConfig(List<Target> targets, WaitPolicy policy, InetSocketAddress admin) {
  static final int ADMIN_PORT = 9405;
  static final CommonOptions COMMON = CommonOptions.withAdminPort(ADMIN_PORT);

  static final Option<Duration> TIMEOUT = Option.duration("timeout", Duration.ofMinutes(5),
      "Give up after this long and exit 124; 0 waits forever.");
  static final Option<Duration> ATTEMPT_TIMEOUT = Option.duration("attempt-timeout", Duration.ofSeconds(2),
      "The most one attempt may take (connect, TLS, answer).");
  static final Option<Duration> INTERVAL = Option.duration("interval", Duration.ofMillis(100),
      "Pause after the first failed attempt; it grows by --backoff-factor.");
  static final Option<Duration> MAX_INTERVAL = Option.duration("max-interval", Duration.ofMillis(500),
      "The longest pause between attempts.");
  static final Option<Double> BACKOFF_FACTOR = Option.decimal("backoff-factor", 2.0, 1.0,
      "How much the pause grows after each failed attempt (1 keeps it fixed).");
  static final Option<Mode> MODE = Option.choice("mode", Mode.class, Mode.ALL,
      "Wait for all targets, or for any one of them.");
  static final Option<Boolean> INVERT = Option.flag("invert",
      "Wait until the targets are NOT ready (a port closed, a file gone).");
  static final Option<String> TARGETS = Option.text("targets", "URL,...", "",
      "Targets, comma-separated, in addition to the arguments (mainly for the environment).");
  static final Option<String> HTTP_STATUS = Option.text("http-status", "CODES", "200-299",
      "Statuses that count as ready: 200, 200-299, 2xx or a comma list.");
  static final Option<String> HTTP_BODY = Option.text("http-body", "TEXT", "",
      "Text the response body must contain.");
  static final Option<String> HTTP_BODY_REGEX = Option.text("http-body-regex", "REGEX", "",
      "A pattern the response body must match somewhere.");
  static final Option<String> HTTP_HEADER = Option.text("http-header", "NAME=REGEX", "",
      "A response header that must match; repeatable.").repeatable();
  static final Option<String> CA_FILE = Option.text("ca-file", "PATH", "",
      "PEM certificates to trust for https targets instead of the runtime's roots.");
  static final Option<Boolean> INSECURE = Option.flag("insecure",
      "Do not verify https certificates or host names. For tests only.");
  static final Option<Integer> DNS_MIN_ADDRESSES = Option.integer("dns-min-addresses", 1, 1, 10_000,
      "For dns targets: how many addresses the name must have.");
  static final Option<Boolean> FILE_NON_EMPTY = Option.flag("file-non-empty",
      "For file targets: an empty file or folder does not count.");

  /** All or any. */
  enum Mode { ALL, ANY }

  static final String DESCRIPTION = """
      Waits until every TARGET is ready, then exits 0; exits 124 with one line per target that is
      not ready (and why) if --timeout passes first. Targets:
        tcp://HOST:PORT (or HOST:PORT)   a connection is accepted
        http(s)://HOST[:PORT]/PATH       a GET answers an accepted status (and body, headers)
        dns://NAME                       the name resolves (to --dns-min-addresses addresses)
        file:///PATH                     the file exists (and is not empty)
        postgres://[USER[:PASS]@]HOST[:PORT][/DB]  the server answers; with a password, logs in and runs SELECT 1
        redis://[[USER]:PASS@]HOST[:PORT]          PING answers PONG (after AUTH when given)
      Settings for one target go in its fragment: http://api/healthz#status=204&body=ok
      (status, body, body-regex, header, ca-file, insecure, min-addresses, non-empty).
      Names that do not resolve yet are retried. Exit codes: 0 ready, 1 failure, 2 usage,
      124 timeout, 143 stopped by SIGTERM/SIGINT before the targets were ready.

      Examples:
        init-waiter tcp://db-service:5432
        init-waiter --timeout 2m postgres://app:secret@db:5432/app redis://cache:6379
        init-waiter 'https://api:8443/healthz#status=200&body=ok' --ca-file /etc/ssl/ca.pem
      """;

  static Options options(String version) {
    List<dev.podkit.runtime.Option<?>> all = new ArrayList<>(List.of(TIMEOUT, ATTEMPT_TIMEOUT, INTERVAL,
        MAX_INTERVAL, BACKOFF_FACTOR, MODE, INVERT, TARGETS, HTTP_STATUS, HTTP_BODY, HTTP_BODY_REGEX,
        HTTP_HEADER, CA_FILE, INSECURE, DNS_MIN_ADDRESSES, FILE_NON_EMPTY));
    all.addAll(COMMON.all());
    return new Options("init-waiter", version, "[options] TARGET...", DESCRIPTION, all);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Builds the config; every problem found is added to {@code problems} (then the result is null). */
  static InitWaiterConfig from(Options.Parsed p, List<String> problems) {
    problems.addAll(p.problems());
    StatusRange status = null;
    try {
      status = StatusRange.parse(p.get(HTTP_STATUS));
    } catch (IllegalArgumentException e) {
      problems.add("--http-status: " + e.getMessage());
    }
    List<HttpExpectations.HeaderMatch> headers = new ArrayList<>();
    for (String h : p.all(HTTP_HEADER)) {
      try {
        headers.add(HttpExpectations.HeaderMatch.parse(h));
      } catch (IllegalArgumentException e) {
        problems.add("--http-header: " + e.getMessage());
      }
    }
    Pattern bodyRegex = p.get(HTTP_BODY_REGEX).isEmpty() ? null
        : TargetParser.regex(p.get(HTTP_BODY_REGEX), "--http-body-regex", problems);
    var ca = p.get(CA_FILE).isEmpty() ? null : TargetDefaults.caFile(p.get(CA_FILE), "--ca-file", problems);
    // A longer --interval alone raises the cap with it; both given and crossed is a mistake.
    Duration max = p.isSet(MAX_INTERVAL) ? p.get(MAX_INTERVAL) : max(p.get(MAX_INTERVAL), p.get(INTERVAL));
    if (max.compareTo(p.get(INTERVAL)) < 0) {
      problems.add("--max-interval (" + Durations.format(p.get(MAX_INTERVAL)) + ") is shorter than --interval ("
          + Durations.format(p.get(INTERVAL)) + ")");
    }
    if (p.get(INTERVAL).isZero()) {
      problems.add("--interval must be positive");
    }
    if (p.get(ATTEMPT_TIMEOUT).isZero()) {
      problems.add("--attempt-timeout must be positive");
    }
    InetSocketAddress admin = COMMON.adminAddress(p, problems);
    if (status == null) {
      return null;
    }
    TargetDefaults defaults = new TargetDefaults(new HttpExpectations(status,
        p.get(HTTP_BODY).isEmpty() ? null : p.get(HTTP_BODY), bodyRegex, List.copyOf(headers), ca,
        p.get(INSECURE)), p.get(DNS_MIN_ADDRESSES), p.get(FILE_NON_EMPTY));
    List<String> specs = new ArrayList<>(p.arguments());
    for (String s : p.get(TARGETS).split(",")) {
      if (!s.isBlank()) specs.add(s.strip());
    }
    if (specs.isEmpty()) {
      problems.add("no target given (for example: init-waiter tcp://db:5432)");
    }
    TargetParser parser = new TargetParser(defaults);
    List<Target> targets = new ArrayList<>();
    for (String s : specs) {
      Target t = parser.parse(s, problems);
      if (t != null) targets.add(t);
    }
    if (!problems.isEmpty()) {
      return null;
    }
    Duration interval = p.get(INTERVAL);
    WaitPolicy policy = new WaitPolicy(p.get(TIMEOUT), p.get(ATTEMPT_TIMEOUT),
        new Backoff(interval, p.get(BACKOFF_FACTOR), max), p.get(MODE) == Mode.ANY, p.get(INVERT));
    return new InitWaiterConfig(List.copyOf(targets), policy, admin);
  }
}
