package dev.podkit.configsyncer;

import dev.podkit.runtime.Backoff;
import dev.podkit.runtime.CommonOptions;
import dev.podkit.runtime.Option;
import dev.podkit.runtime.Options;
import dev.podkit.runtime.TlsContexts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * config-syncer's settings, built from flags and environment and validated up front: every
 * problem is reported at once.
 *
 * @param source where versions come from (built, not yet contacted)
 * @param target the folder versions are published in (the shared volume)
 * @param once sync once and exit (init container) instead of forever (sidecar)
 * @param timeout in once mode, how long to keep trying; zero is forever
 * @param schedule period, jitter and retry backoff
 * @param limits size and file-count limits of one version
 * @param checks the config file kinds syntax-checked before publishing
 * @param notifiers what is told after a publish (possibly none)
 * @param notifyFirst whether the first version written into an empty target is notified too
 * @param admin where the admin endpoint listens, or null when off
 * @param shutdownTimeout on SIGTERM, the longest wait for a running sync to end
 */
record SyncerConfig(Source source, Path target, boolean once, Duration timeout, SyncLoop.Schedule schedule,
    Limits limits, Set<SyntaxCheck.Kind> checks, List<Notifier> notifiers, boolean notifyFirst,
    InetSocketAddress admin, Duration shutdownTimeout) {
  static final int ADMIN_PORT = 9404;
  static final CommonOptions COMMON = CommonOptions.withAdminPort(ADMIN_PORT, Duration.ofSeconds(10));

  static final Option<String> SOURCE = Option.text("source", "URL", "",
      "Where versions come from: http(s)://..., git+https://..., git+ssh://..., git://..., s3://BUCKET/KEY or "
          + "s3://BUCKET/PREFIX/, dir:///PATH (repeatable for folders to merge).").repeatable();
  static final Option<String> TARGET = Option.text("target", "DIR", "",
      "The folder versions are published in: a volume the app mounts (not with subPath).");
  static final Option<Boolean> ONCE = Option.flag("once",
      "Sync once and exit 0 (an init container); exit 124 with the reason if --timeout passes first.");
  static final Option<Duration> TIMEOUT = Option.duration("timeout", Duration.ofMinutes(5),
      "With --once: how long to keep retrying; 0 retries forever.");
  static final Option<Duration> PERIOD = Option.duration("period", Duration.ofSeconds(30),
      "How often the source is asked for a new version.");
  static final Option<Double> JITTER = Option.decimal("jitter", 0.1, 0,
      "Each pause is shortened by a random part of up to this fraction of the period (0 to 1).");
  static final Option<Duration> RETRY_INTERVAL = Option.duration("retry-interval", Duration.ofSeconds(1),
      "Pause after the first failed sync; it doubles after each failure, up to the period.");
  static final Option<Duration> MAX_RETRY_INTERVAL = Option.duration("max-retry-interval", Duration.ofSeconds(30),
      "The longest pause after failures.");
  static final Option<Long> MAX_BYTES = Option.bytes("max-bytes", 100L << 20,
      "The most bytes one version may hold after unpacking (and a download may carry).");
  static final Option<Integer> MAX_FILES = Option.integer("max-files", 10_000, 1, 10_000_000,
      "The most files and folders one version may hold.");
  static final Option<String> CHECK = Option.text("check", "json|yaml|properties|all", "",
      "Refuse a version whose files of this kind (by extension) do not parse; repeatable.").repeatable();
  static final Option<Unpacker.Format> ARCHIVE = Option.choice("archive", Unpacker.Format.class,
      Unpacker.Format.AUTO, "What a downloaded body is; auto tells tar, tar.gz, zip or a single file by its first bytes.");
  static final Option<String> FILE_NAME = Option.text("file-name", "NAME", "",
      "The name a single downloaded file gets (default: the URL's last path segment).");
  static final Option<String> SHA256 = Option.text("sha256", "HEX", "",
      "The SHA-256 the downloaded body must have; any other is refused.");
  static final Option<String> HTTP_HEADER = Option.text("http-header", "NAME=VALUE", "",
      "An extra request header for http(s) sources; repeatable.").repeatable();
  static final Option<String> BEARER_TOKEN_FILE = Option.text("bearer-token-file", "PATH", "",
      "A file holding a token sent as 'Authorization: Bearer'; read at every sync.");
  static final Option<String> CA_FILE = Option.text("ca-file", "PATH", "",
      "PEM certificates that https origins, S3 endpoints and the webhook are verified against (instead of the runtime's roots).");
  static final Option<Duration> REQUEST_TIMEOUT = Option.duration("request-timeout", Duration.ofSeconds(30),
      "Connect and read timeout of each request.");
  static final Option<String> GIT_REF = Option.text("git-ref", "REF", "HEAD",
      "For git sources: a branch, a tag, a full ref name or a full commit id.");
  static final Option<String> GIT_PATH = Option.text("git-path", "PATH", "",
      "For git sources: publish only this folder of the repository.");
  static final Option<Integer> GIT_DEPTH = Option.integer("git-depth", 1, 0, 1_000_000,
      "For git sources: fetch this many commits of history (0: all).");
  static final Option<String> GIT_USERNAME = Option.text("git-username", "NAME", "git",
      "For git over HTTPS with --git-token-file: the user name sent with the token.");
  static final Option<String> GIT_TOKEN_FILE = Option.text("git-token-file", "PATH", "",
      "For git over HTTPS: a file holding the token or password; read at every sync.");
  static final Option<String> GIT_SSH_KEY_FILE = Option.text("git-ssh-key-file", "PATH", "",
      "For git over SSH: the private key (OpenSSH or PEM format, no passphrase).");
  static final Option<String> GIT_KNOWN_HOSTS_FILE = Option.text("git-known-hosts-file", "PATH", "",
      "For git over SSH: known_hosts lines the server's key must match.");
  static final Option<String> GIT_REPO_DIR = Option.text("git-repo-dir", "DIR", "",
      "Where the bare repository is kept between fetches (default TARGET/..git).");
  static final Option<String> S3_ENDPOINT = Option.text("s3-endpoint", "URL", "",
      "For s3 sources: the service URL (MinIO, Ceph...); requests are then path-style. Default AWS's for --s3-region.");
  static final Option<String> S3_REGION = Option.text("s3-region", "REGION", "",
      "For s3 sources: the region signed for (default AWS_REGION, else us-east-1).");
  static final Option<String> S3_ACCESS_KEY_FILE = Option.text("s3-access-key-file", "PATH", "",
      "For s3 sources: a file holding the access key id (default: AWS_ACCESS_KEY_ID); read at every sync.");
  static final Option<String> S3_SECRET_KEY_FILE = Option.text("s3-secret-key-file", "PATH", "",
      "For s3 sources: a file holding the secret key (default: AWS_SECRET_ACCESS_KEY); read at every sync.");
  static final Option<String> WEBHOOK_URL = Option.text("webhook-url", "URL", "",
      "Called after each publish, retried with backoff until it answers 2xx; bursts collapse to the newest version.");
  static final Option<String> WEBHOOK_METHOD = Option.text("webhook-method", "METHOD", "POST",
      "The webhook's HTTP method.");
  static final Option<Duration> WEBHOOK_TIMEOUT = Option.duration("webhook-timeout", Duration.ofSeconds(5),
      "Timeout of one webhook call.");
  static final Option<String> SIGNAL_PROCESS = Option.text("signal-process", "NAME", "",
      "After each publish, signal the processes of this name (needs shareProcessNamespace: true).");
  static final Option<String> SIGNAL = Option.text("signal", "NAME", "HUP",
      "The signal sent to --signal-process: HUP, USR1, USR2, INT, QUIT, TERM or WINCH.");
  static final Option<String> TOUCH_FILE = Option.text("touch-file", "PATH", "",
      "After each publish, replace this file with the version's label.");
  static final Option<Boolean> NOTIFY_FIRST = Option.flag("notify-first-sync",
      "Notify for the first version written into an empty target too (the app usually reads that one at start).");
  static final Option<Duration> NOTIFY_RETRY_MAX = Option.duration("notify-max-retry-interval", Duration.ofSeconds(30),
      "The longest pause between retries of a failed notification.");

  static final String DESCRIPTION = """
      Keeps a folder in sync with a source and publishes each version atomically, in the layout of
      the kubelet's ConfigMap volumes: files are read through TARGET/..data, swapped with one
      rename, so an app never sees half a version. A version is checked before it is published
      (size, file count, names and links that stay inside, optional JSON/YAML/properties syntax,
      optional SHA-256); a bad one is refused and the last good one stays. --once is an init
      container's mode; without it the syncer polls every --period, and /startupz turns ready
      after the first successful sync (use it as a native sidecar's startupProbe).
      Exit codes: 0 done (or stopped by SIGTERM as a sidecar), 1 failure, 2 usage, 124 --once
      timed out, 143 --once stopped by SIGTERM.

      Examples:
        config-syncer --once --source https://example.com/site.tar.gz --target /usr/share/nginx/html
        config-syncer --source https://cfg.example.com/app.yaml --target /config --check yaml \\
            --webhook-url http://127.0.0.1:8080/-/reload
        config-syncer --source git+https://github.com/example/site.git --git-ref main --git-path public \\
            --target /usr/share/nginx/html
        config-syncer --source s3://my-bucket/site/ --s3-region eu-west-1 --target /usr/share/nginx/html
        config-syncer --source dir:///etc/cm-a --source dir:///etc/cm-b --target /config
      """;

  static Options options(String version) {
    List<Option<?>> all = new ArrayList<>(List.of(SOURCE, TARGET, ONCE, TIMEOUT, PERIOD, JITTER, RETRY_INTERVAL,
        MAX_RETRY_INTERVAL, MAX_BYTES, MAX_FILES, CHECK, ARCHIVE, FILE_NAME, SHA256, HTTP_HEADER,
        BEARER_TOKEN_FILE, CA_FILE, REQUEST_TIMEOUT, GIT_REF, GIT_PATH, GIT_DEPTH, GIT_USERNAME, GIT_TOKEN_FILE, GIT_SSH_KEY_FILE,
        GIT_KNOWN_HOSTS_FILE, GIT_REPO_DIR,
        S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_FILE, S3_SECRET_KEY_FILE, WEBHOOK_URL, WEBHOOK_METHOD, WEBHOOK_TIMEOUT, SIGNAL_PROCESS, SIGNAL,
        TOUCH_FILE, NOTIFY_FIRST, NOTIFY_RETRY_MAX));
    all.addAll(COMMON.all());
    return new Options("config-syncer", version, "[options] [SOURCE TARGET]", DESCRIPTION, all);
  }

  /** Builds the config; every problem found is added to {@code problems} (then the result is null). */
  static SyncerConfig from(Options.Parsed p, List<String> problems, java.util.Map<String, String> env) {
    problems.addAll(p.problems());
    List<String> sources = new ArrayList<>(p.all(SOURCE));
    String target = p.get(TARGET);
    List<String> args = p.arguments();
    if (args.size() == 2 && sources.isEmpty() && target.isEmpty()) {
      sources.add(args.get(0));
      target = args.get(1);
    } else if (!args.isEmpty()) {
      problems.add("unexpected arguments " + args + " (give SOURCE TARGET, or --source and --target)");
    }
    if (target.isBlank()) problems.add("no --target folder given");
    if (sources.isEmpty()) problems.add("no --source given (for example: --source https://example.com/config.tar.gz)");
    double jitter = p.get(JITTER);
    if (jitter > 1) problems.add("--jitter must be between 0 and 1: " + jitter);
    positive(p, PERIOD, problems);
    positive(p, RETRY_INTERVAL, problems);
    positive(p, REQUEST_TIMEOUT, problems);
    positive(p, WEBHOOK_TIMEOUT, problems);
    if (p.get(MAX_RETRY_INTERVAL).compareTo(p.get(RETRY_INTERVAL)) < 0) {
      problems.add("--max-retry-interval is shorter than --retry-interval");
    }
    Set<SyntaxCheck.Kind> checks = EnumSet.noneOf(SyntaxCheck.Kind.class);
    for (String c : p.all(CHECK)) {
      for (String k : c.split(",")) {
        String kind = k.strip().toUpperCase(Locale.ROOT);
        if (kind.equals("ALL")) {
          checks.addAll(EnumSet.allOf(SyntaxCheck.Kind.class));
        } else if (!kind.isEmpty()) {
          try {
            checks.add(SyntaxCheck.Kind.valueOf(kind));
          } catch (IllegalArgumentException e) {
            problems.add("--check: not json, yaml, properties or all: '" + k.strip() + "'");
          }
        }
      }
    }
    SSLSocketFactory tls = tls(p.get(CA_FILE), problems);
    List<Notifier> notifiers = notifiers(p, tls, problems);
    InetSocketAddress admin = COMMON.adminAddress(p, problems);
    // Parsed even without a target, so its problems are reported too (the config is null then).
    Source source = sources.isEmpty() ? null
        : SourceParser.parse(sources, Path.of(target.isBlank() ? "." : target), p, env, tls, problems);
    if (!problems.isEmpty()) return null;
    Duration period = p.get(PERIOD);
    Duration maxRetry = p.get(MAX_RETRY_INTERVAL);
    SyncLoop.Schedule schedule = new SyncLoop.Schedule(period, jitter,
        new Backoff(p.get(RETRY_INTERVAL), 2, maxRetry));
    return new SyncerConfig(source, Path.of(target), p.get(ONCE), p.get(TIMEOUT), schedule,
        new Limits(p.get(MAX_BYTES), p.get(MAX_FILES)), checks, notifiers, p.get(NOTIFY_FIRST), admin,
        p.get(COMMON.shutdownTimeout()));
  }

  /** The backoff of notification retries. */
  static Backoff notifyBackoff(Options.Parsed p) {
    Duration max = p.get(NOTIFY_RETRY_MAX);
    Duration first = Duration.ofMillis(200);
    return new Backoff(first, 2, max.compareTo(first) < 0 ? first : max);
  }

  /** The https socket factory trusting {@code --ca-file}, or null when none is given (or it is unusable: a problem). */
  private static SSLSocketFactory tls(String caFile, List<String> problems) {
    if (caFile.isEmpty()) return null;
    try {
      return TlsContexts.socketFactory(Path.of(caFile), false);
    } catch (IllegalArgumentException e) {
      problems.add("--ca-file: " + e.getMessage());
      return null;
    }
  }

  private static List<Notifier> notifiers(Options.Parsed p, SSLSocketFactory tls, List<String> problems) {
    List<Notifier> out = new ArrayList<>();
    if (!p.get(WEBHOOK_URL).isEmpty()) {
      URI u = SourceParser.uri(p.get(WEBHOOK_URL), "--webhook-url", problems);
      if (u != null && !List.of("http", "https").contains(String.valueOf(u.getScheme()))) {
        problems.add("--webhook-url must be http:// or https://: " + p.get(WEBHOOK_URL));
      } else if (u != null) {
        out.add(new WebhookNotifier(u, p.get(WEBHOOK_METHOD).toUpperCase(Locale.ROOT), new Connector(tls, p.get(WEBHOOK_TIMEOUT))));
      }
    }
    if (!p.get(SIGNAL_PROCESS).isEmpty()) {
      if (!SignalNotifier.SIGNALS.containsKey(p.get(SIGNAL).toUpperCase(Locale.ROOT).replaceFirst("^SIG", ""))) {
        problems.add("--signal: not one of " + new java.util.TreeSet<>(SignalNotifier.SIGNALS.keySet()) + ": " + p.get(SIGNAL));
      } else {
        out.add(new SignalNotifier(p.get(SIGNAL_PROCESS), p.get(SIGNAL).toUpperCase(Locale.ROOT).replaceFirst("^SIG", ""),
            Path.of("/proc")));
      }
    }
    if (!p.get(TOUCH_FILE).isEmpty()) out.add(new TouchNotifier(Path.of(p.get(TOUCH_FILE))));
    return out;
  }

  private static void positive(Options.Parsed p, Option<Duration> o, List<String> problems) {
    if (p.get(o).isZero()) problems.add("--" + o.name() + " must be positive");
  }
}
