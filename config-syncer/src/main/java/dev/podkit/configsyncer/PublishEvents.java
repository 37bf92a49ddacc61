package dev.podkit.configsyncer;

/**
 * What a {@link Publisher} reports as it publishes and recovers, one call per step; every method
 * does nothing by default. Names are relative to the target folder. Calls come from the thread
 * that publishes.
 */
public interface PublishEvents {
  /** Step (1) done: {@code version} holds {@code files} files, forced to disk. */
  default void versionWritten(String version, int files) {}

  /** Step (2) done: {@code ..data} now points at {@code version}; {@code previous} is null on the first publish. */
  default void swapped(String previous, String version) {}

  /** Step (3): the user-visible link {@code name -> ..data/name} was created. */
  default void linkCreated(String name) {}

  /** Step (3): the user-visible link {@code name} was removed, the new version has no such name. */
  default void linkRemoved(String name) {}

  /** Step (4): the older version folder {@code version} was removed. */
  default void versionRemoved(String version) {}

  /** At start: {@code name}, left by a publish a crash interrupted, was removed. */
  default void leftoverRemoved(String name) {}
}
