package dev.podkit.configsyncer;

import java.io.IOException;

/**
 * Where versions come from: an HTTP(S) URL, a Git repository, an S3 object or prefix, a local
 * folder. A source remembers what it handed over last (an ETag, a commit) so it can answer
 * "unchanged" cheaply; it is called from one thread at a time.
 */
interface Source {
  /** The answer of one {@link #fetch}. */
  sealed interface Fetch {}

  /** Nothing changed since the last version this source wrote. */
  record Unchanged() implements Fetch {}

  /**
   * A version was written whole into the staging folder.
   *
   * @param version a short label of it for logs, metrics and webhooks (a commit id, a checksum),
   *     or null to have one made from the written files' digest
   */
  record Fetched(String version) implements Fetch {}

  /**
   * Writes the current version into {@code staging} unless it is the one this source wrote last;
   * throws {@link SyncFailure} (or IOException, a fetch failure) when it cannot. The source
   * remembers a version only once it was written whole.
   */
  Fetch fetch(Staging staging) throws IOException, SyncFailure;

  /** Forgets what was handed over last, so the next fetch writes the version again. */
  void forget();

  /** The source for logs, without secrets. */
  String describe();
}
