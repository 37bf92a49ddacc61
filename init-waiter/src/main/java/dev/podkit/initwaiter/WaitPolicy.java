package dev.podkit.initwaiter;

import dev.podkit.runtime.Backoff;
import java.time.Duration;

/**
 * How long and how often to try.
 *
 * @param timeout overall deadline; zero waits forever
 * @param attemptTimeout the most one attempt may take
 * @param backoff the pause between attempts of one target
 * @param any ready when any target is (else when all are)
 * @param invert wait until targets are NOT reachable
 */
record WaitPolicy(Duration timeout, Duration attemptTimeout, Backoff backoff, boolean any, boolean invert) {}
