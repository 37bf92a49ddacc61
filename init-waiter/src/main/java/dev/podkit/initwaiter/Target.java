package dev.podkit.initwaiter;

/**
 * One thing to wait for.
 *
 * @param name the target as the user wrote it, with any password replaced by {@code ***}: safe
 *     for logs and metrics
 * @param probe how to check it
 */
record Target(String name, Probe probe) {}
