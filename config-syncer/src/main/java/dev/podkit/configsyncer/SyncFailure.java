package dev.podkit.configsyncer;

import java.util.Locale;

/**
 * Why one sync did not publish: a reason from a small fixed set (a metric tag) and a message for
 * the log. Thrown deep inside fetching and unpacking, where a stream is being read, and turned into
 * an outcome value by the {@link Syncer}; it never leaves a sync.
 */
final class SyncFailure extends Exception {
  /** The bounded set of failure reasons. */
  enum Reason {
    /** The source could not be reached or read (connection, timeout, truncated body, git or S3 error). */
    FETCH,
    /** The source answered with a status that is not success (HTTP 404, 503, S3 403...). */
    STATUS,
    /** The content's SHA-256 is not the expected one. */
    CHECKSUM,
    /** The content is bigger or has more files than the limits allow. */
    LIMIT,
    /** A name or link in the content points outside the target, or is not a plain file or folder. */
    UNSAFE_PATH,
    /** The archive is damaged or of an unknown kind. */
    FORMAT,
    /** A JSON, YAML or properties file does not parse. */
    SYNTAX,
    /** Writing or swapping the new version in the target failed. */
    PUBLISH,
    /** The sync was abandoned because the syncer is stopping. */
    CANCELLED;

    /** The metric tag: lower case. */
    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  SyncFailure(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  SyncFailure(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
