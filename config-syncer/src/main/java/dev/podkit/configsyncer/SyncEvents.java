package dev.podkit.configsyncer;

/**
 * What the syncer reports as it goes; every method does nothing by default. The production
 * implementations turn events into log lines ({@link SyncLog}) and meters ({@link SyncMetrics});
 * tests record them. Sync events come from the sync thread, notification events from the
 * notification thread: implementations are thread-safe.
 */
interface SyncEvents {
  /** A sync found the source unchanged (or its content equal to the published version). */
  default void unchanged(long nanos) {}

  /**
   * A sync published {@code version} as the folder {@code folder}: {@code files} files,
   * {@code bytes} bytes, after {@code nanos}.
   */
  default void published(String version, String folder, int files, long bytes, long nanos) {}

  /** A sync failed for {@code reason}; the previous version stays published. */
  default void failed(SyncFailure.Reason reason, String message, long nanos) {}

  /** A notification of {@code version} by {@code kind} (webhook, signal, touch) succeeded. */
  default void notified(String kind, String version) {}

  /** A notification of {@code version} by {@code kind} failed; it is retried with backoff unless a newer version comes. */
  default void notifyFailed(String kind, String version, String error, int attempt) {}

  /** Sends each event to every one of {@code all}. */
  static SyncEvents of(SyncEvents... all) {
    return new SyncEvents() {
      @Override
      public void unchanged(long nanos) {
        for (SyncEvents e : all) e.unchanged(nanos);
      }

      @Override
      public void published(String version, String folder, int files, long bytes, long nanos) {
        for (SyncEvents e : all) e.published(version, folder, files, bytes, nanos);
      }

      @Override
      public void failed(SyncFailure.Reason reason, String message, long nanos) {
        for (SyncEvents e : all) e.failed(reason, message, nanos);
      }

      @Override
      public void notified(String kind, String version) {
        for (SyncEvents e : all) e.notified(kind, version);
      }

      @Override
      public void notifyFailed(String kind, String version, String error, int attempt) {
        for (SyncEvents e : all) e.notifyFailed(kind, version, error, attempt);
      }
    };
  }
}
