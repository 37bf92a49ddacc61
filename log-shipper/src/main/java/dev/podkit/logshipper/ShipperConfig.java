package dev.podkit.logshipper;

import dev.podkit.runtime.CommonOptions;
import dev.podkit.runtime.Option;
import dev.podkit.runtime.Options;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * log-shipper's settings, from flags and environment, validated up front.
 *
 * @param includes paths and globs to follow
 * @param excludes globs of paths not to follow
 * @param fromEnd start at the end of files present at start-up (like tail), else at their start
 * @param checkpointFile where positions are kept between runs, or null for none
 * @param sink stdout, http, loki or elasticsearch
 * @param url the sink's endpoint (not for stdout)
 * @param stdoutJson stdout as JSON lines with metadata instead of the raw lines
 */
record ShipperConfig(List<String> includes, List<String> excludes, boolean fromEnd, Path checkpointFile,
    SinkKind sink, URI url, boolean stdoutJson, boolean gzip, Map<String, String> headers,
    Map<String, String> lokiLabels, String lokiTenant, String esIndex, int maxRetries, OnRefused onRefused, int maxLineBytes,
    dev.podkit.filetail.LongLines longLines, Duration partialLineFlush, Duration goneTimeout, BatchPolicy batch, long memoryLimitBytes, Duration scanInterval, Duration pollInterval,
    long maxLagBytes, boolean exitAtEof, String format, java.util.regex.Pattern multilineStart, int multilineMaxLines,
    Duration multilineTimeout, Duration shutdownTimeout, InetSocketAddress admin) {

  /** The destinations. */
  enum SinkKind { STDOUT, HTTP, LOKI, ELASTICSEARCH }

  static final int ADMIN_PORT = 9401;
  static final CommonOptions COMMON = CommonOptions.withAdminPort(ADMIN_PORT, Duration.ofSeconds(20));

  static final Option<String> EXCLUDE = Option.text("exclude", "GLOB", "", "Paths not to follow: an absolute glob, or a file-name glob such as *.gz; repeatable.").repeatable();
  static final Option<String> START_AT = Option.text("start-at", "beginning|end", "beginning",
      "Where to start in files present at start-up (files that appear later are read from their start).");
  static final Option<String> CHECKPOINT_FILE = Option.text("checkpoint-file", "PATH", "",
      "Where positions are saved, so a restart resumes without loss (put it on a volume).");
  static final Option<SinkKind> SINK = Option.choice("sink", SinkKind.class, SinkKind.STDOUT,
      "Where lines go: stdout, http (NDJSON POST), loki (push API) or elasticsearch (_bulk).");
  static final Option<String> URL = Option.text("url", "URL", "", "The sink's endpoint (http, loki, elasticsearch).");
  static final Option<Boolean> JSON = Option.flag("json", "stdout: one JSON object per line with path and metadata, not the raw line.");
  static final Option<Boolean> GZIP = Option.flag("gzip", "Compress request bodies.");
  static final Option<String> HEADER = Option.text("header", "NAME=VALUE", "", "A request header (Authorization...); repeatable.").repeatable();
  static final Option<String> LOKI_LABEL = Option.text("loki-label", "NAME=VALUE", "", "A Loki stream label; repeatable.").repeatable();
  static final Option<String> LOKI_TENANT = Option.text("loki-tenant", "ID", "", "Loki tenant (X-Scope-OrgID).");
  static final Option<String> ES_INDEX = Option.text("es-index", "NAME", "logs-podkit-default", "Elasticsearch index or data stream.");
  static final Option<Integer> MAX_RETRIES = Option.integer("max-retries", 0, 0, Integer.MAX_VALUE,
      "Attempts per batch before it is dropped and counted; 0 retries forever (the default: nothing is dropped).");
  /** What happens to data the destination refuses for good (a 4xx other than 408 and 429). */
  enum OnRefused { RETRY, DROP }

  static final Option<OnRefused> ON_REFUSED = Option.choice("on-refused", OnRefused.class, OnRefused.RETRY,
      "Lines the destination refuses for good (a 4xx other than 408 and 429, for a batch or an Elasticsearch item): "
          + "retried with the backoff like any failure, the sink unhealthy until it takes them (the default: nothing is "
          + "dropped), or dropped and counted by reason.");
  static final Option<Integer> MAX_LINE_BYTES = Option.integer("max-line-bytes", 256 * 1024, 64, 64 << 20,
      "Longer lines are split into flagged pieces (or truncated, see --long-lines), never dropped.");
  static final Option<dev.podkit.filetail.LongLines> LONG_LINES = Option.choice("long-lines", dev.podkit.filetail.LongLines.class,
      dev.podkit.filetail.LongLines.SPLIT, "A line longer than --max-line-bytes: split into pieces, each flagged, or "
          + "truncated (its first bytes, flagged; the rest skipped); counted either way.");
  static final Option<Duration> PARTIAL_LINE_FLUSH = Option.duration("partial-line-flush", Duration.ofSeconds(5),
      "A line not finished yet (no newline, or CRI and Docker parts without their last one) is shipped as it is "
          + "after this long with nothing new; a later end follows as its own line.");
  static final Option<Duration> GONE_TIMEOUT = Option.duration("gone-timeout", Duration.ofSeconds(10),
      "A file deleted, or renamed to a name no pattern matches, is read to its end and kept open this long with "
          + "nothing new (a writer may still append to it) before it is let go.");
  static final Option<Integer> BATCH_EVENTS = Option.integer("batch-events", 10_000, 1, 1_000_000, "Lines per batch at most.");
  static final Option<Integer> BATCH_BYTES = Option.integer("batch-bytes", 1 << 20, 1024, 64 << 20,
      "A batch is cut once its lines reach this many bytes (the lines' own bytes, before the sink's encoding adds "
          + "to them; the last line may go past it).");
  static final Option<Duration> BATCH_LINGER = Option.duration("batch-linger", Duration.ofMillis(200),
      "The longest a line waits for its batch to fill (a batch also goes as soon as every file is read to its end).");
  static final Option<Integer> MEMORY_LIMIT = Option.integer("memory-limit", 32 << 20, 1 << 20, 1 << 30,
      "Bytes read and not yet acknowledged at most; past it reading pauses (the files are the buffer).");
  static final Option<Duration> SCAN_INTERVAL = Option.duration("scan-interval", Duration.ofSeconds(1),
      "How often paths and globs are matched again (also at once when a name comes or goes in a folder they cover).");
  static final Option<Duration> POLL_INTERVAL = Option.duration("poll-interval", Duration.ofMillis(100), "Pause between polls when nothing is new.");
  static final Option<String> FORMAT = Option.text("format", "raw|cri|docker", "raw",
      "How lines are written: raw, or container logs (CRI: /var/log/pods; Docker json-file) whose split lines are merged per stream.");
  static final Option<String> MULTILINE_START = Option.text("multiline-start", "REGEX", "",
      "Lines matching this start an event, others continue it (stack traces), e.g. '^\\S'.");
  static final Option<Integer> MULTILINE_MAX_LINES = Option.integer("multiline-max-lines", 500, 1, 100_000,
      "The most lines joined into one event.");
  static final Option<Duration> MULTILINE_TIMEOUT = Option.duration("multiline-timeout", Duration.ofSeconds(1),
      "An event waiting for more lines is shipped after this long.");
  static final Option<Boolean> EXIT_AT_EOF = Option.flag("exit-at-eof",
      "Exit 0 once every file was read to its end and delivered (shipping files once, benchmarks).");
  static final Option<Integer> MAX_LAG_BYTES = Option.integer("max-lag-bytes", 64 << 20, 0, Integer.MAX_VALUE,
      "/readyz fails while more bytes than this are unread behind the ends of the files.");

  static final String DESCRIPTION = """
      Follows PATH... (files and globs, like tail -F but through rotation by rename and copytruncate)
      and ships every line to stdout (the default: the lines exactly as tail -F prints them), an
      HTTP endpoint (NDJSON), Loki or Elasticsearch. Batches are retried until acknowledged, and
      positions are checkpointed only after that: a restart resumes without loss. Metadata comes
      from POD_NAME, POD_NAMESPACE, NODE_NAME and CONTAINER_NAME (Downward API). Exit codes: 0
      ok (also after SIGTERM: files read to their end, flushed, checkpoints saved), 1 failure, 2 usage.

      Examples:
        log-shipper /var/log/app/access.log
        log-shipper --sink loki --url http://loki:3100 --checkpoint-file /state/pos.json '/var/log/app/*.log'
      """;

  static Options options(String version) {
    List<Option<?>> all = new ArrayList<>(List.of(EXCLUDE, START_AT, CHECKPOINT_FILE, SINK, URL, JSON, GZIP, HEADER,
        LOKI_LABEL, LOKI_TENANT, ES_INDEX, MAX_RETRIES, ON_REFUSED, MAX_LINE_BYTES, LONG_LINES, PARTIAL_LINE_FLUSH, GONE_TIMEOUT, BATCH_EVENTS,
        BATCH_BYTES, BATCH_LINGER,
        MEMORY_LIMIT, SCAN_INTERVAL, POLL_INTERVAL, MAX_LAG_BYTES, EXIT_AT_EOF, FORMAT, MULTILINE_START,
        MULTILINE_MAX_LINES, MULTILINE_TIMEOUT));
    all.addAll(COMMON.all());
    return new Options("log-shipper", version, "[options] PATH|GLOB...", DESCRIPTION, all);
  }

  static ShipperConfig from(Options.Parsed p, List<String> problems) {
    problems.addAll(p.problems());
    List<String> includes = new ArrayList<>();
    for (String a : p.arguments()) {
      if (!a.startsWith("/")) {
        problems.add("'" + a + "' is not an absolute path or glob");
      } else {
        includes.add(a);
      }
    }
    problems.addAll(Discovery.problems(includes, p.all(EXCLUDE)));
    if (p.arguments().isEmpty()) {
      problems.add("no path given (for example: log-shipper /var/log/app/access.log)");
    }
    String startAt = p.get(START_AT).strip().toLowerCase(Locale.ROOT);
    if (!startAt.equals("beginning") && !startAt.equals("end")) {
      problems.add("--start-at: not beginning or end: '" + p.get(START_AT) + "'");
    }
    SinkKind sink = p.get(SINK);
    URI url = null;
    if (sink != SinkKind.STDOUT) {
      try {
        url = new URI(p.get(URL));
        if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
          problems.add("--url: '" + p.get(URL) + "' is not an http(s) URL (needed by --sink " + sink.name().toLowerCase(Locale.ROOT) + ")");
        }
      } catch (java.net.URISyntaxException e) {
        problems.add("--url: '" + p.get(URL) + "': " + e.getReason());
      }
    } else if (!p.get(URL).isEmpty()) {
      problems.add("--url is for --sink http, loki or elasticsearch");
    }
    Map<String, String> headers = dev.podkit.runtime.KeyValues.parse(p.all(HEADER), "--header", problems);
    Map<String, String> labels = dev.podkit.runtime.KeyValues.parse(p.all(LOKI_LABEL), "--loki-label", problems);
    String format = p.get(FORMAT).strip().toLowerCase(Locale.ROOT);
    if (!List.of("raw", "cri", "docker").contains(format)) {
      problems.add("--format: not raw, cri or docker: '" + p.get(FORMAT) + "'");
    }
    java.util.regex.Pattern multiline = null;
    if (!p.get(MULTILINE_START).isEmpty()) {
      try {
        multiline = java.util.regex.Pattern.compile(p.get(MULTILINE_START));
      } catch (java.util.regex.PatternSyntaxException e) {
        problems.add("--multiline-start: bad regex '" + p.get(MULTILINE_START) + "': " + e.getDescription());
      }
    }
    InetSocketAddress admin = COMMON.adminAddress(p, problems);
    // The queue holds up to --memory-limit of heap, the batch being cut and the one being
    // written up to --batch-bytes each (and their copies): all must fit with room to spare, or
    // a catch-up would end in OutOfMemoryError instead of a pause.
    long heap = Runtime.getRuntime().maxMemory();
    long needed = (long) p.get(MEMORY_LIMIT) + 4L * p.get(BATCH_BYTES);
    if (needed > heap / 2) {
      problems.add("--memory-limit " + (p.get(MEMORY_LIMIT) >> 20) + " MiB with --batch-bytes " + (p.get(BATCH_BYTES) >> 10)
          + " KiB needs a JVM heap of at least " + (2 * needed >> 20) + " MiB; this one has " + (heap >> 20)
          + " MiB: lower them, or raise the heap (JAVA_TOOL_OPTIONS=-Xmx...)");
    }
    if (p.get(PARTIAL_LINE_FLUSH).isZero()) {
      problems.add("--partial-line-flush must be positive (a line still being written would be shipped torn)");
    }
    if (p.get(POLL_INTERVAL).isZero() || p.get(SCAN_INTERVAL).isZero()) {
      problems.add("--poll-interval and --scan-interval must be positive");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new ShipperConfig(List.copyOf(includes), p.all(EXCLUDE), startAt.equals("end"),
        p.get(CHECKPOINT_FILE).isEmpty() ? null : Path.of(p.get(CHECKPOINT_FILE)), sink, url, p.get(JSON), p.get(GZIP),
        headers, labels, p.get(LOKI_TENANT).isEmpty() ? null : p.get(LOKI_TENANT), p.get(ES_INDEX), p.get(MAX_RETRIES),
        p.get(ON_REFUSED), p.get(MAX_LINE_BYTES), p.get(LONG_LINES), p.get(PARTIAL_LINE_FLUSH), p.get(GONE_TIMEOUT), new BatchPolicy(p.get(BATCH_EVENTS), p.get(BATCH_BYTES), p.get(BATCH_LINGER)),
        p.get(MEMORY_LIMIT), p.get(SCAN_INTERVAL), p.get(POLL_INTERVAL), p.get(MAX_LAG_BYTES), p.get(EXIT_AT_EOF),
        format, multiline, p.get(MULTILINE_MAX_LINES), p.get(MULTILINE_TIMEOUT), p.get(COMMON.shutdownTimeout()), admin);
  }
}
